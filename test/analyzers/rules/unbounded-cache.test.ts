import { describe, expect, it } from 'vitest';
import { findings } from '../../helpers/analyze';
import { ruleTester } from '../../helpers/ruleTester';

const rule = 'unbounded-cache';
const tester = ruleTester(rule);
const express = `import express from 'express';\nconst app = express();\n`;

describe('unbounded-cache reports', () => {
  it.each([
    [
      'a Map filled per request parameter',
      `${express}const cache = new Map<string, unknown>();\napp.get('/u/:id', async (req, res) => { if (!cache.has(req.params.id)) cache.set(req.params.id, await fetch('/x/' + req.params.id)); res.json(cache.get(req.params.id)); });`,
      [{ messageId: 'grows', line: 4, column: 72 }],
    ],
    [
      'an object keyed by a query value through a local',
      `${express}const compiled: Record<string, RegExp> = {};\napp.get('/s', (req, res) => { const q = String(req.query.q); const re = compiled[q] ?? (compiled[q] = new RegExp(q)); res.json(re.test('a')); });`,
      [{ messageId: 'grows', line: 4, column: 89 }],
    ],
    [
      'a Set of seen values from a destructured body',
      `${express}const seen = new Set<string>();\napp.post('/e', (req, res) => { const { email } = req.body; if (seen.has(email)) return res.end(); seen.add(email); res.end(); });`,
      [{ messageId: 'grows', line: 4, column: 99 }],
    ],
  ])('%s', async (_name, code, errors) => {
    await tester.invalid({ code, errors });
  });
});

describe('unbounded-cache stays quiet', () => {
  it.each([
    [
      'bounded by a size check and delete',
      `${express}const cache = new Map<string, unknown>();\napp.get('/u/:id', (req, res) => { if (cache.has(req.params.id)) return res.json(cache.get(req.params.id)); if (cache.size > 100) cache.delete(cache.keys().next().value!); cache.set(req.params.id, 1); res.end(); });`,
    ],
    [
      'cleared elsewhere',
      `${express}const cache = new Map<string, unknown>();\nexport function reset() { cache.clear(); }\napp.get('/u/:id', (req, res) => { if (!cache.get(req.params.id)) cache.set(req.params.id, 1); res.end(); });`,
    ],
    [
      'a registry: written by one function, read by another',
      `${express}const plugins = new Map<string, unknown>();\napp.post('/p/:name', (req, res) => { plugins.set(req.params.name, req.body); res.end(); });`,
    ],
    [
      'a WeakMap',
      `${express}const w = new WeakMap<object, number>();\napp.get('/', (req, res) => { if (!w.has(req)) w.set(req, 1); res.end(); });`,
    ],
    [
      'keyed by a function argument outside a handler',
      `const compiled: Record<string, RegExp> = {};\nexport function matcher(p: string) { return compiled[p] ?? (compiled[p] = new RegExp(p)); }`,
    ],
    [
      'scoped to the call',
      `${express}app.get('/', (req, res) => { const seen = new Map<string, number>(); if (!seen.has(String(req.query.a))) seen.set(String(req.query.a), 1); res.end(); });`,
    ],
    [
      'exported (other modules may clear it)',
      `${express}export const cache = new Map<string, unknown>();\napp.get('/u/:id', (req, res) => { if (!cache.has(req.params.id)) cache.set(req.params.id, 1); res.end(); });`,
    ],
    [
      'keyed by a constant',
      `${express}const cache = new Map<string, unknown>();\napp.get('/', (req, res) => { if (!cache.has('all')) cache.set('all', req.query); res.end(); });`,
    ],
  ])('%s', (_name, code) => {
    expect(findings(code, { rule })).toEqual([]);
  });
});
