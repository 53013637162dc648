/**
 * The rule catalogue, by category. A rule is rules/<category>/<rule-id>.ts, or a folder rules/<category>/<rule-id>/
 * whose index.ts is the rule and whose other files are the helpers only it uses; add new rules here.
 */
import type { Rule } from '../rule';
import lookupInLoop from './complexity/lookup-in-loop';
import spreadAccumulator from './complexity/spread-accumulator';
import nestedScan from './complexity/nested-scan';
import sortInLoop from './complexity/sort-in-loop';
import sortForMinMax from './complexity/sort-for-min-max';
import shiftInLoop from './complexity/shift-in-loop';
import lengthInLoopCondition from './complexity/length-in-loop-condition';
import jsonCloneInLoop from './complexity/json-clone-in-loop';
import redundantPass from './complexity/redundant-pass';
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
import constructPerCall from './caching/construct-per-call';
import repeatedAwait from './caching/repeated-await';
import unmemoizedRecursion from './caching/unmemoized-recursion';
import keyInComparator from './caching/key-in-comparator';
import listenerLeak from './memory/listener-leak';
import unclearedInterval from './memory/uncleared-interval';
import unboundedCache from './memory/unbounded-cache';
import capturedBuffer from './memory/captured-buffer';

export const rules: Rule[] = [
  // complexity
  lookupInLoop,
  spreadAccumulator,
  nestedScan,
  sortInLoop,
  sortForMinMax,
  shiftInLoop,
  lengthInLoopCondition,
  jsonCloneInLoop,
  redundantPass,
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
  constructPerCall,
  repeatedAwait,
  unmemoizedRecursion,
  keyInComparator,
  // memory
  listenerLeak,
  unclearedInterval,
  unboundedCache,
  capturedBuffer,
];
