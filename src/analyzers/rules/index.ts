/**
 * The rule catalogue, by category. One rule a file under rules/<category>/<rule-id>.ts; add new rules here.
 */
import type { Rule } from '../rule';
import lookupInLoop from './complexity/lookup-in-loop';
import spreadAccumulator from './complexity/spread-accumulator';
import queryInLoop from './database/query-in-loop';
import requestInLoop from './database/request-in-loop';
import queryInResolver from './database/query-in-resolver';
import loaderInLoop from './database/loader-in-loop';
import queryOutsideTransaction from './database/query-outside-transaction';
import syncIoInAsync from './sync-io/sync-io-in-async';
import syncIoInHandler from './sync-io/sync-io-in-handler';
import syncIoInCallback from './sync-io/sync-io-in-callback';
import busyWait from './sync-io/busy-wait';
import lockAcrossAwait from './concurrency/lock-across-await';
import sequentialAwaits from './concurrency/sequential-awaits';
import atomicsWaitMainThread from './concurrency/atomics-wait-main-thread';
import awaitInReduce from './concurrency/await-in-reduce';
import unboundedPromiseAll from './concurrency/unbounded-promise-all';
import invariantInLoop from './caching/invariant-in-loop';
import readPerRequest from './caching/read-per-request';

export const rules: Rule[] = [
  // complexity
  lookupInLoop,
  spreadAccumulator,
  // database
  queryInLoop,
  requestInLoop,
  queryInResolver,
  loaderInLoop,
  queryOutsideTransaction,
  // sync-io
  syncIoInAsync,
  syncIoInHandler,
  syncIoInCallback,
  busyWait,
  // concurrency
  lockAcrossAwait,
  sequentialAwaits,
  atomicsWaitMainThread,
  awaitInReduce,
  unboundedPromiseAll,
  // caching
  invariantInLoop,
  readPerRequest,
];
