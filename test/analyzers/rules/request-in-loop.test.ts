import { describe, expect, it } from 'vitest';
import { findings, projectFindings, shownText } from '../../helpers/analyze';
import { ruleTester } from '../../helpers/ruleTester';

const rule = 'request-in-loop';
const tester = ruleTester(rule);
const messages = (code: string, filename?: string): string[] => findings(code, { rule, filename }).map(shownText);

describe('request-in-loop reports a request per item', () => {
  it('says N sequential round trips and offers bounded concurrency, not only batching', async () => {
    const code = `async function f(ids: string[]) { for (const id of ids) await fetch(\`/api/users/\${id}\`); }`;
    await tester.invalid({ code, errors: [{ messageId: 'sequential', line: 1, column: 63 }] });
    expect(messages(code)).toEqual([
      'fetch runs once per id: N HTTP round trips one after another. Use a batch endpoint if the API has one; otherwise run them with bounded concurrency (p-limit, p-map { concurrency: 5 }).',
    ]);
  });

  it('Promise.all(items.map(…)) is unbounded', async () => {
    const [found] = await tester.invalid({
      code: `import axios from 'axios';\nfunction f(urls: string[]) { return Promise.all(urls.map(async (url) => (await axios.get(url)).data)); }`,
      errors: [{ messageId: 'concurrent', line: 2, column: 80 }],
    });
    expect(shownText(found)).toBe(
      'axios.get runs once per url, all at once: N requests with no limit can hit rate limits and exhaust sockets. Use a batch endpoint if the API has one, or cap concurrency with p-limit.',
    );
  });

  it('the same URL every time: make it once', async () => {
    const code = `async function f(rows: Row[]) { for (const row of rows) { const rates = await fetch('https://api.example.com/rates').then((r) => r.json()); use(row, rates); } }`;
    await tester.invalid({ code, errors: [{ messageId: 'invariant', line: 1, column: 79 }] });
    expect(messages(code)).toEqual(['fetch makes the same request once per row. Make it once before the loop and reuse the response.']);
  });

  it.each([
    [
      'got',
      `import got from 'got';\nasync function f(ids: string[]) { for (const id of ids) await got(\`/x/\${id}\`).json(); }`,
      [{ messageId: 'sequential', line: 2, column: 63 }],
    ],
    [
      'ky',
      `import ky from 'ky';\nasync function f(ids: string[]) { for (const id of ids) await ky.get(\`/x/\${id}\`).json(); }`,
      [{ messageId: 'sequential', line: 2, column: 63 }],
    ],
    [
      'undici request',
      `import { request } from 'undici';\nasync function f(ids: string[]) { for (const id of ids) await request(\`/x/\${id}\`); }`,
      [{ messageId: 'sequential', line: 2, column: 63 }],
    ],
    [
      'node-fetch',
      `const fetch = require('node-fetch');\nasync function f(ids) { for (const id of ids) await fetch('/x/' + id); }`,
      [{ messageId: 'sequential', line: 2, column: 53 }],
    ],
    [
      'an axios instance',
      `import axios from 'axios';\nconst api = axios.create({ baseURL: '/api' });\nasync function f(users: User[]) { for (const user of users) await api.put(\`/users/\${user.id}\`, user); }`,
      [{ messageId: 'sequential', line: 3, column: 67 }],
    ],
    [
      'superagent',
      `import superagent from 'superagent';\nasync function f(ids: string[]) { for (const id of ids) await superagent.get('/x/' + id); }`,
      [{ messageId: 'sequential', line: 2, column: 63 }],
    ],
    [
      'Nest HttpService via firstValueFrom',
      `import { HttpService } from '@nestjs/axios';\nclass S { constructor(private http: HttpService) {} async f(ids: string[]) { for (const id of ids) await firstValueFrom(this.http.get('/x/' + id)); } }`,
      [{ messageId: 'sequential', line: 2, column: 121 }],
    ],
    [
      'window.fetch in a forEach',
      `function f(ids: string[]) { ids.forEach(async (id) => { await window.fetch('/x/' + id); }); }`,
      [{ messageId: 'concurrent', line: 1, column: 63 }],
    ],
    [
      'promises pushed in a loop',
      `async function f(ids: string[]) { const all: Promise<Response>[] = []; for (const id of ids) all.push(fetch('/x/' + id)); return Promise.all(all); }`,
      [{ messageId: 'concurrent', line: 1, column: 103 }],
    ],
  ])('%s', async (_name, code, errors) => {
    await tester.invalid({ code, filename: code.includes('require(') ? 'src/a.js' : undefined, errors });
  });
});

describe('request-in-loop stays quiet', () => {
  it.each([
    [
      'next-link pagination',
      `async function f(start: string) { let url: string | undefined = start; while (url) { const r = await fetch(url); url = (await r.json()).next; } }`,
    ],
    [
      'page-number pagination',
      `import axios from 'axios';\nasync function f() { for (let page = 1; ; page++) { const { data } = await axios.get('/items', { params: { page } }); if (!data.length) break; } }`,
    ],
    [
      'a cursor from the previous response',
      `import got from 'got';\nasync function f() { let cursor = ''; do { const body: any = await got('/feed', { searchParams: { cursor } }).json(); cursor = body.cursor; } while (cursor); }`,
    ],
    [
      'retries',
      `async function f(u: string) { for (let attempt = 0; attempt < 3; attempt++) { try { return await fetch(u); } catch { await sleep(100); } } }`,
    ],
    [
      'polling',
      `import axios from 'axios';\nasync function f(id: string) { while ((await axios.get('/jobs/' + id)).data.state !== 'done') await sleep(500); }`,
    ],
    [
      'first answering mirror',
      `async function f(mirrors: string[]) { for (const m of mirrors) { const r = await fetch(m); if (r.ok) return r; } }`,
    ],
    ['a fixed list', `async function f() { for (const path of ['/a', '/b', '/c']) await fetch(path); }`],
    [
      'a limiter',
      `import pLimit from 'p-limit';\nconst limit = pLimit(3);\nfunction f(us: string[]) { return Promise.all(us.map((u) => limit(() => fetch(u)))); }`,
    ],
    [
      'p-map with a concurrency',
      `import pMap from 'p-map';\nfunction f(us: string[]) { return pMap(us, (u) => fetch(u), { concurrency: 4 }); }`,
    ],
    ['throttled', `async function f(ids: string[]) { for (const id of ids) { await fetch('/x/' + id); await sleep(1000); } }`],
    [
      'a shadowed fetch',
      `async function f(ids: string[], fetch: (id: string) => Promise<void>) { for (const id of ids) await fetch(id); }`,
    ],
    [
      'a fetch imported from a user module',
      `import { fetch } from './api';\nasync function f(ids: string[]) { for (const id of ids) await fetch(id); }`,
    ],
    [
      'a database query (query-in-loop says those)',
      `import { prisma } from './db';\nasync function f(ids: string[]) { for (const id of ids) await prisma.user.findUnique({ where: { id } }); }`,
    ],
    [
      'an Express route registration',
      `import express from 'express';\nconst app = express();\nfor (const path of paths) app.get(path, (req, res) => res.send('ok'));`,
    ],
  ])('%s', (_name, code) => {
    expect(messages(code)).toEqual([]);
  });

  it('in tests', () => {
    expect(messages(`async function f(ids: string[]) { for (const id of ids) await fetch('/x/' + id); }`, 'test/api.test.ts')).toEqual([]);
  });
});

describe("request-in-loop sees through the project's own wrappers", () => {
  it('a fetchJson helper in another file', async () => {
    const found = await tester.invalid({
      files: {
        'src/http.ts': `export async function fetchJson<T>(url: string): Promise<T> {\n  const response = await fetch(url);\n  if (!response.ok) throw new Error(response.statusText);\n  return response.json() as Promise<T>;\n}`,
      },
      filename: 'src/users.ts',
      code: `import { fetchJson } from './http';\nexport async function profiles(ids: string[]) {\n  const out = [];\n  for (const id of ids) out.push(await fetchJson(\`/api/users/\${id}\`));\n  return out;\n}`,
      errors: [{ messageId: 'sequential', line: 4, column: 40 }],
    });
    expect(found.map(shownText)).toEqual([
      'fetchJson(…) (fetch) runs once per id: N HTTP round trips one after another. Use a batch endpoint if the API has one; otherwise run them with bounded concurrency (p-limit, p-map { concurrency: 5 }).',
    ]);
  });

  it('an API client method, mapped concurrently', async () => {
    const found = await tester.invalid({
      files: {
        'src/github.ts': `import axios from 'axios';\nexport class GitHub {\n  async repo(name: string) { return (await axios.get(\`https://api.github.com/repos/\${name}\`)).data; }\n}`,
      },
      filename: 'src/sync.ts',
      code: `import { GitHub } from './github';\nconst github = new GitHub();\nexport function sync(names: string[]) { return Promise.all(names.map((name) => github.repo(name))); }`,
      errors: [{ messageId: 'concurrent', line: 3, column: 80 }],
    });
    expect(found.map(shownText)).toEqual([
      'github.repo(…) (axios.get) runs once per name, all at once: N requests with no limit can hit rate limits and exhaust sockets. Use a batch endpoint if the API has one, or cap concurrency with p-limit.',
    ]);
  });

  it('stays quiet for a wrapper whose loop is retry or pagination inside the wrapper', () => {
    expect(
      projectFindings(
        {
          'src/http.ts': `export async function fetchAll(url: string) { const all = []; let next: string | null = url; while (next) { const r = await fetch(next); all.push(...(await r.json())); next = r.headers.get('next'); } return all; }`,
          'src/a.ts': `import { fetchAll } from './http';\nexport async function f() { return fetchAll('/api/items'); }`,
        },
        'src/a.ts',
        'request-in-loop',
      ),
    ).toEqual([]);
  });
});

describe('request-in-loop stays quiet on fallbacks and generated code', () => {
  it('a fallback over a constant list of sources that stops at the first hit', () => {
    expect(
      findings(
        `export async function favicon(origin: string) {
  const sources = [\`https://a.example/\${origin}\`, \`https://b.example/\${origin}\`];
  for (const src of sources) {
    const hit = await fetch(src);
    if (!hit.ok) continue;
    return hit.arrayBuffer();
  }
  return null;
}`,
        { rule: 'request-in-loop' },
      ),
    ).toEqual([]);
  });

  it('minified bundles', () => {
    const line = `var a=1;`.repeat(400);
    expect(
      findings(`${line}\nexport async function f(ids){for(const id of ids)await fetch('/u/'+id)}\n${line}`, { rule: 'request-in-loop' }),
    ).toEqual([]);
  });
});

describe('request-in-loop sees the loop however it is written', () => {
  it.each([
    ['an index `for`', 'for (let i = 0; i < ids.length; i++) { const id = ids[i];'],
    ['a `while` taking `ids[i++]`', 'let i = 0; while (i < ids.length) { const id = ids[i++];'],
    ['a `?? []` header', 'for (const id of ids ?? []) {'],
  ])('%s', (_name, loop) => {
    const code = `export async function f(ids: string[]) { ${loop} await fetch(\`/api/users/\${id}\`); } }`;
    expect(findings(code, { rule }).map((f) => f.messageId)).toEqual(['sequential']);
  });
});
