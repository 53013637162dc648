/**
 * The rule catalogue. One rule a file under rules/<category>/<rule-id>.ts; add new rules here.
 */
import type { Rule } from '../rule';
import syncIoInAsync from './sync-io/sync-io-in-async';

export const rules: Rule[] = [syncIoInAsync];
