/**
 * The rule catalogue. One rule a file under rules/<category>/<rule-id>.ts; add new rules here.
 */
import type { Rule } from '../rule';
import syncIoInAsync from './sync-io/sync-io-in-async';
import syncIoInHandler from './sync-io/sync-io-in-handler';
import lockAcrossAwait from './concurrency/lock-across-await';
import lookupInLoop from './complexity/lookup-in-loop';
import spreadAccumulator from './complexity/spread-accumulator';
import invariantInLoop from './caching/invariant-in-loop';
import readPerRequest from './caching/read-per-request';
import queryInLoop from './database/query-in-loop';
import requestInLoop from './database/request-in-loop';
import sequentialAwaits from './concurrency/sequential-awaits';

export const rules: Rule[] = [syncIoInAsync, syncIoInHandler, lockAcrossAwait, lookupInLoop, spreadAccumulator, invariantInLoop, readPerRequest, queryInLoop, requestInLoop, sequentialAwaits];
