import { defineRule } from '../../rule';
import { clientCall, type ClientCallNode } from '../../facts/clients';
import { perItemCall, perItemHelperCall } from '../../facts/perItem';
import { compact } from '../../facts/phrases';
import { ts } from '../../ts';

export default defineRule({
  meta: {
    id: 'request-in-loop',
    category: 'database',
    description:
      'An awaited HTTP request (fetch, axios, got, ky, undici, superagent, Nest HttpService) made once per item of a ' +
      'loop, directly or through a project function.',
    why:
      'A remote call costs a network round trip — tens to hundreds of milliseconds, far more than a local query. ' +
      'Awaited one per item, 200 items at 80 ms each keep the caller waiting 16 s. Fired all at once ' +
      '(`Promise.all(items.map(…))`) they finish sooner but open N sockets at the same moment, trip the remote ' +
      "side's rate limits and fail as a whole when one of them does.",
    howToFix:
      "Use the API's batch endpoint when it has one (`GET /users?ids=1,2,3`, a GraphQL query for many ids, a bulk " +
      'write). When it has none, run the requests with bounded concurrency — `p-limit`, `p-map` with `{ concurrency: 5 ' +
      '}` — so they overlap without flooding the remote side. The request may also hide behind a project function that ' +
      'makes it (a `fetchJson` wrapper, an API client method).',
    notReported: [
      'Pagination that follows a next link or cursor from the previous response',
      'Retries and back-off, and polling',
      'Loops that stop at the first successful response (mirrors, fallbacks)',
      'Loops over a literal list',
      'Throttled loops (`await sleep(…)`)',
      'Requests handed to a limiter',
    ],
    impact: 'high',
    effort: 'medium',
    evidence: {
      basis: 'items',
      why: 'its cost is one HTTP round trip per item: it matters when the items grow with data',
    },
    fix: 'none',
    scope: { skip: ['tests', 'migrations'] },
    rewrites: {
      except: {
        rename: "not yet: its verdict depends on the bindings' names — under neutral names (`v1`, `v2`…) invalid example 3 is not reported",
        'strip-types':
          'not yet: part of what it recognises comes from type annotations, and the `.js` twin has none (invalid example 3 is not reported)',
      },
    },
    messages: {
      sequential: {
        message: '{{operation}} runs once per {{item}}: N HTTP round trips one after another.',
        note:
          'Use a batch endpoint if the API has one; otherwise run them with bounded concurrency (p-limit, p-map { ' + 'concurrency: 5 }).',
      },
      concurrent: {
        message:
          '{{operation}} runs once per {{item}}, all at once: N requests with no limit can hit rate limits and exhaust ' + 'sockets.',
        note: 'Use a batch endpoint if the API has one, or cap concurrency with p-limit.',
      },
      invariant: {
        message: '{{operation}} makes the same request once per {{item}}.',
        note: 'Make it once before the loop and reuse the response.',
      },
    },
    examples: {
      invalid: [
        {
          code: `export async function profiles(userIds: string[]) {
  const result = [];
  for (const userId of userIds) {
    const response = await fetch(\`https://api.example.com/users/\${userId}\`);
    result.push(await response.json());
  }
  return result;
}`,
          errors: [{ messageId: 'sequential', line: 4, column: 28 }],
        },
        {
          code: `import axios from 'axios';

export async function notify(subscribers: Subscriber[], event: Event) {
  for (const subscriber of subscribers) {
    await axios.post(subscriber.webhookUrl, event);
  }
}`,
          errors: [{ messageId: 'sequential', line: 5, column: 11 }],
        },
        {
          code: `import got from 'got';

export async function prices(skus: string[]) {
  return Promise.all(skus.map((sku) => got(\`https://pricing.internal/sku/\${sku}\`).json()));
}`,
          errors: [{ messageId: 'concurrent', line: 4, column: 40 }],
        },
        {
          code: `import { HttpService } from '@nestjs/axios';
import { firstValueFrom } from 'rxjs';

export class GeoService {
  constructor(private readonly http: HttpService) {}

  async resolve(addresses: string[]) {
    const points = [];
    for (let i = 0; i < addresses.length; i++) {
      const { data } = await firstValueFrom(this.http.get('/geocode', { params: { q: addresses[i] } }));
      points.push(data);
    }
    return points;
  }
}`,
          errors: [{ messageId: 'sequential', line: 10, column: 45 }],
        },
        {
          code: `async function fetchJson(url: string) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(response.statusText);
  return response.json();
}

export async function profiles(ids: string[]) {
  const result = [];
  for (const id of ids) result.push(await fetchJson(\`/api/users/\${id}\`));
  return result;
}`,
          errors: [{ messageId: 'sequential', line: 9, column: 43 }],
        },
        {
          code: `import ky from 'ky';

export function warm(urls: string[]) {
  urls.forEach(async (url) => {
    await ky.get(url);
  });
}`,
          errors: [{ messageId: 'concurrent', line: 5, column: 11 }],
        },
      ],
      valid: [
        `// Pagination: each request follows the next link of the previous response.
export async function allIssues(start: string) {
  const issues = [];
  let url: string | null = start;
  while (url) {
    const response = await fetch(url);
    issues.push(...(await response.json()));
    url = nextLink(response.headers.get('link'));
  }
  return issues;
}`,
        `import axios from 'axios';

// Retry with back-off: one request, tried again.
export async function getWithRetry(url: string) {
  for (let attempt = 1; attempt <= 5; attempt++) {
    try {
      return (await axios.get(url)).data;
    } catch {
      await sleep(attempt * 200);
    }
  }
  throw new Error('gave up');
}`,
        `// Fallback mirrors: stops at the first that answers.
export async function download(mirrors: string[]) {
  for (const mirror of mirrors) {
    try {
      return await fetch(mirror);
    } catch {
      continue;
    }
  }
  throw new Error('no mirror answered');
}`,
        `import axios from 'axios';

// Polling a job until it finishes.
export async function waitForExport(id: string) {
  let status = 'pending';
  while (status !== 'done') {
    await sleep(1000);
    status = (await axios.get(\`/exports/\${id}\`)).data.status;
  }
}`,
        `import pLimit from 'p-limit';

// Bounded concurrency: the fix, not the problem.
const limit = pLimit(5);
export async function crawl(urls: string[]) {
  return Promise.all(urls.map((url) => limit(() => fetch(url))));
}`,
        `// Two fixed endpoints, not a collection.
export async function health() {
  const results = [];
  for (const path of ['/health', '/ready']) results.push(await fetch(\`http://localhost:3000\${path}\`));
  return results;
}`,
        `async function fetchJson(url: string) {
  const response = await fetch(url);
  return response.json();
}

// The wrapper is called once: its own await is not per item.
export async function settings() {
  return fetchJson('/api/settings');
}`,
        `// A function called fetch that is not the global one.
export async function load(ids: string[], fetch: (id: string) => Promise<unknown>) {
  for (const id of ids) await fetch(id);
}`,
        `// Throttled on purpose for a rate-limited API.
export async function sync(accounts: Account[]) {
  for (const account of accounts) {
    await fetch(\`https://api.example.com/accounts/\${account.id}/sync\`, { method: 'POST' });
    await sleep(250);
  }
}`,
      ],
    },
  },
  check(context) {
    const { file } = context;
    const visit = (call: ClientCallNode): void => {
      const client = clientCall(call, file);
      if (!client && ts.isCallExpression(call)) {
        // A project function that makes the request (a `fetchJson` wrapper, an API client method).
        const helper = perItemHelperCall(call, file);
        if (!helper || helper.summary.kind !== 'http') return;
        const { perItem, summary } = helper;
        const operation = `${compact(file.textOf(call.expression), 40)}(…) (${[...summary.via, summary.first.operation].join(' → ')})`;
        const messageId = perItem.invariant ? 'invariant' : perItem.concurrent ? 'concurrent' : 'sequential';
        context.report({
          node: call,
          messageId,
          data: { operation, item: perItem.item },
          evidence: { iteration: perItem.iteration, call },
        });
        return;
      }
      if (!client || client.kind !== 'http') return;
      const perItem = perItemCall(call, client, file);
      if (!perItem) return;
      const messageId = perItem.invariant ? 'invariant' : perItem.concurrent ? 'concurrent' : 'sequential';
      context.report({
        node: call,
        messageId,
        data: { operation: client.operation, item: perItem.item },
        evidence: { iteration: perItem.iteration, call },
      });
    };
    return { CallExpression: visit, TaggedTemplateExpression: visit };
  },
});
