import { ts } from '../../ts';
import { defineRule } from '../../rule';
import { calleeName, dottedName, skipParens } from '../../facts/ast';
import { lookup } from '../../facts/dataflow';
import type { FileFacts } from '../../facts/fileFacts';
import { perItemCall } from '../../facts/perItem';
import { compact } from '../../facts/phrases';

export default defineRule({
  meta: {
    id: 'loader-in-loop',
    category: 'database',
    description: 'A DataLoader `load` is awaited one key at a time in a loop, so every key becomes its own batch query.',
    why:
      'DataLoader batches the keys asked for in the same tick. Awaiting `load` inside a loop asks for one key, waits for its batch ' +
      'to run, then asks for the next: 200 keys cost 200 batch queries and 200 round trips, one after another — the N+1 the loader ' +
      'exists to prevent.',
    howToFix:
      'Ask for all keys at once: `await loader.loadMany(keys)` (each failed key comes back as an Error in its place) ' +
      'or `await Promise.all(keys.map((key) => loader.load(key)))`; both run one batch.',
    notReported: [
      'Loads in `Promise.all(…map(…))`, `forEach(async …)` and other callbacks that start every load in the same tick',
      'Loops that stop at the first result',
    ],
    impact: 'high',
    effort: 'low',
    evidence: {
      basis: 'items',
      why: 'each key becomes its own batch: the cost is one query per item of the loop',
    },
    fix: 'none',
    scope: { skip: ['tests', 'migrations'] },
    messages: {
      sequential: {
        message:
          '{{loader}}.load is awaited once per {{item}}: each key waits for the previous batch, so DataLoader runs one ' +
          'batch query per key.',
        note: 'Load them together with {{loader}}.loadMany(keys) or Promise.all(keys.map((key) => {{loader}}.load(key))).',
      },
    },
    examples: {
      invalid: [
        {
          code: `import DataLoader from 'dataloader';

const userLoader = new DataLoader(batchUsers);

export async function authors(posts: Post[]) {
  const result = [];
  for (const post of posts) {
    result.push(await userLoader.load(post.authorId));
  }
  return result;
}`,
          errors: [{ messageId: 'sequential', line: 8, column: 23 }],
        },
        {
          code: `export async function members(team, ctx) {
  const users = [];
  for (const id of team.memberIds) users.push(await ctx.loaders.user.load(id));
  return users;
}`,
          errors: [{ messageId: 'sequential', line: 3, column: 53 }],
        },
      ],
      valid: [
        `import DataLoader from 'dataloader';

const userLoader = new DataLoader(batchUsers);

// Every load starts in the same tick: one batch.
export function authors(posts: Post[]) {
  return Promise.all(posts.map((post) => userLoader.load(post.authorId)));
}`,
        `import DataLoader from 'dataloader';

const userLoader = new DataLoader(batchUsers);

export function members(ids: string[]) {
  return userLoader.loadMany(ids);
}`,
        `// A plugin loader is not a DataLoader.
export async function boot(plugins: string[], pluginLoader: { load(name: string): Promise<void> }) {
  for (const name of plugins) await pluginLoader.load(name);
}`,
      ],
    },
  },
  check(context) {
    const { file } = context;
    const imports = file.imports.imports('dataloader');
    return {
      CallExpression(call) {
        if (calleeName(call) !== 'load' || call.arguments.length !== 1) return;
        const callee = skipParens(call.expression);
        if (!ts.isPropertyAccessExpression(callee)) return;
        if (!isDataLoader(callee.expression, file, imports)) return;
        const perItem = perItemCall(call, { kind: 'query' }, file);
        if (!perItem || perItem.concurrent) return;
        context.report({
          node: call,
          messageId: 'sequential',
          data: { loader: compact(file.textOf(callee.expression), 40), item: perItem.item },
        });
      },
    };
  },
});

/**
 * A DataLoader instance: made with `new DataLoader(…)` from 'dataloader', typed `DataLoader<…>`,
 * or reached through a `loaders`/`dataloaders` object (`ctx.loaders.user`) — the per-request
 * convention of GraphQL servers.
 */
function isDataLoader(receiver: ts.Expression, file: FileFacts, imports: boolean): boolean {
  const inner = skipParens(receiver);
  const dotted = dottedName(inner) ?? '';
  if (/(^|\.)(data)?loaders\.\w+$/i.test(dotted)) return true;
  if (ts.isIdentifier(inner)) {
    const declaration = lookup(inner.text, inner);
    if (!declaration) return false;
    const init = declaration.initializer ? skipParens(declaration.initializer) : undefined;
    if (
      init &&
      ts.isNewExpression(init) &&
      ts.isIdentifier(init.expression) &&
      file.originOf(init.expression.text, init)?.module === 'dataloader'
    )
      return true;
    const type = declaration.type;
    if (type && ts.isTypeReferenceNode(type) && ts.isIdentifier(type.typeName) && type.typeName.text === 'DataLoader') return true;
    return false;
  }
  // this.userLoader, in a file that uses DataLoader.
  return imports && /loader$/i.test(dotted);
}
