import { ts } from '../../../ts';
import { defineRule } from '../../../rule';
import { calleeName, isFunctionLike, referencedNames, skipParens, type FunctionLike } from '../../../facts/ast';
import { clientCall, type ClientCall } from '../../../facts/clients';
import { isBatchedInOneTick } from '../../../facts/libraries/registry';
import { compact } from '../../../facts/phrases';
import { callIo } from '../../../facts/summaries';
import type { FileFacts } from '../../../facts/fileFacts';
import { fieldResolver, type FieldResolver } from './graphql';

/** How many parents a field resolver runs for: what the query asks, which the server's code does not say. */
const PARENTS = {
  scale: 'unknown',
  reason: 'the resolver runs once per parent the query returns: how many a query asks for, nothing here says',
} as const;

export default defineRule({
  meta: {
    id: 'query-in-resolver',
    category: 'database',
    description:
      'A GraphQL field resolver queries the database (or a remote API) with its parent object: it runs once per parent ' +
      'in a list (N+1).',
    why:
      'GraphQL resolves a field separately for every object that has it. `Post.author` that looks up its user runs once per post: ' +
      'a page of 100 posts costs 100 queries after the one that loaded the posts, and a nested list (posts → comments → author) ' +
      'multiplies them. Each resolver looks innocent on its own; the cost only shows with the data.',
    howToFix:
      'Put a DataLoader (created per request, in the context) behind the lookup: its batch function receives every key ' +
      'asked for in the same tick and runs one query for all of them (`findMany({ where: { id: { in: ids } } })`, ' +
      '`whereIn`, `$in`), then returns the rows in key order. Or load the relation with the parent (`include`, a join) ' +
      'and return it from the parent.',
    notReported: [
      '`Query`/`Mutation` root fields (they run once per operation)',
      'Resolvers that go through a loader',
      'Resolvers that do not use their parent',
      'Fields that resolve only when the parent is the requesting user (`if (me.id !== user.id) return []`)',
      'Mercurius loaders (already batched)',
      'Prisma `findUnique` (Prisma batches those of one tick by itself)',
    ],
    impact: 'high',
    effort: 'medium',
    evidence: {
      basis: 'items',
      why:
        'a field resolver runs once per parent the query returns, and how many that is the schema does not say: a list ' +
        'query may ask for thousands, a single-object query asks once (round 4 of issue 12 drew seven such warnings; ' +
        'six were asked for one parent or a page of ten)',
    },
    fix: 'none',
    scope: { skip: ['tests', 'migrations'] },
    rewrites: {
      except: {
        rename: "not yet: its verdict depends on the bindings' names — under neutral names (`v1`, `v2`…) invalid example 1 is not reported",
        'strip-types':
          'not yet: part of what it recognises comes from type annotations, and the `.js` twin has none (invalid example 1 is not reported)',
      },
    },
    messages: {
      perParent: {
        message: '{{operation}} runs once per parent in {{field}} (N+1): a list of 100 parents costs 100 {{what}}.',
        note: 'Batch them with a DataLoader created per request — its batch function runs {{batched}} for all keys of one tick.',
      },
    },
    examples: {
      invalid: [
        {
          code: `import { ApolloServer } from '@apollo/server';
import { prisma } from './db';

const resolvers = {
  Query: {
    posts: () => prisma.post.findMany({ take: 100 }),
  },
  Post: {
    comments: (post) => prisma.comment.findMany({ where: { postId: post.id } }),
  },
};

export const server = new ApolloServer({ typeDefs, resolvers });`,
          errors: [{ messageId: 'perParent', line: 9, column: 25 }],
        },
        {
          code: `import { Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';

@Resolver(() => Post)
export class PostResolver {
  constructor(@InjectRepository(User) private readonly users: Repository<User>) {}

  @ResolveField(() => User)
  author(@Parent() post: Post) {
    return this.users.findOneBy({ id: post.authorId });
  }
}`,
          errors: [{ messageId: 'perParent', line: 11, column: 12 }],
        },
        {
          code: `import { objectType } from 'nexus';

export const Order = objectType({
  name: 'Order',
  definition(t) {
    t.field('customer', {
      type: 'Customer',
      resolve: (order, _args, ctx) => ctx.knex('customers').where({ id: order.customerId }).first(),
    });
  },
});`,
          errors: [{ messageId: 'perParent', line: 8, column: 39 }],
        },
      ],
      valid: [
        `import { ApolloServer } from '@apollo/server';
import { prisma } from './db';

// Root fields run once per operation.
const resolvers = {
  Query: {
    post: (_root, { id }) => prisma.post.findFirst({ where: { id } }),
  },
};
export const server = new ApolloServer({ typeDefs, resolvers });`,
        `import { ApolloServer } from '@apollo/server';

// A DataLoader batches the lookups of one tick: the fix.
const resolvers = {
  Post: {
    author: (post, _args, ctx) => ctx.loaders.user.load(post.authorId),
  },
};
export const server = new ApolloServer({ typeDefs, resolvers });`,
        `import { ApolloServer } from '@apollo/server';
import { prisma } from './db';

// Prisma batches findUnique calls made in the same tick into one query.
const resolvers = {
  Post: {
    author: (post) => prisma.user.findUnique({ where: { id: post.authorId } }),
  },
};
export const server = new ApolloServer({ typeDefs, resolvers });`,
        `import mercurius from 'mercurius';

// Mercurius loaders receive every parent of a level at once: already batched.
app.register(mercurius, {
  schema,
  loaders: {
    Dog: {
      owner: async (queries) => db('owners').whereIn('id', queries.map(({ obj }) => obj.ownerId)),
    },
  },
});`,
        `import { ApolloServer } from '@apollo/server';
import { prisma } from './db';


// The parent is not used: not a lookup per parent.
const resolvers = {
  Post: {
    siteName: () => prisma.setting.findFirst({ where: { key: 'siteName' } }),
  },
};
export const server = new ApolloServer({ typeDefs, resolvers });`,
      ],
    },
  },
  check(context) {
    const { file } = context;
    const visit = (fn: FunctionLike): void => {
      const resolver = fieldResolver(fn, file);
      if (!resolver || resolver.parentNames.size === 0) return;
      if (onlyForOneParent(resolver)) return;
      const found = firstLookup(resolver, file);
      if (!found) return;
      context.report({
        node: found.node,
        messageId: 'perParent',
        evidence: { scale: PARENTS },
        data: {
          operation: found.operation,
          field: resolver.field,
          what: found.client.kind === 'http' ? 'requests' : 'queries',
          batched: found.client.batched ?? 'one query for all of them (an IN list)',
        },
      });
    };
    return { ArrowFunction: visit, FunctionExpression: visit, MethodDeclaration: visit };
  },
});

/**
 * `if (requestingUser.uid !== user.uid) return [];` / `throw …` first: the field only resolves for the
 * parent that is the requesting user (or another single object from the context), once per request.
 */
function onlyForOneParent(resolver: FieldResolver): boolean {
  const body = resolver.fn.body;
  if (!body || !ts.isBlock(body)) return false;
  for (const statement of body.statements) {
    if (!ts.isIfStatement(statement)) break;
    const condition = skipParens(statement.expression);
    const exits = (s: ts.Statement): boolean =>
      ts.isReturnStatement(s) ||
      ts.isThrowStatement(s) ||
      (ts.isExpressionStatement(s) && ts.isCallExpression(s.expression) && /^throw/i.test(calleeName(s.expression) ?? '')) ||
      (ts.isBlock(s) && s.statements.length > 0 && exits(s.statements[s.statements.length - 1]));
    if (!exits(statement.thenStatement)) continue;
    if (!ts.isBinaryExpression(condition) || !/^(!==|!=)$/.test(condition.operatorToken.getText())) continue;
    const usesParent = (side: ts.Expression): boolean => [...referencedNames(side)].some((name) => resolver.parentNames.has(name));
    if (usesParent(condition.left) !== usesParent(condition.right)) return true;
  }
  return false;
}

/** The first query (or request) in the resolver whose arguments use the parent. */
function firstLookup(resolver: FieldResolver, file: FileFacts): { node: ts.Node; operation: string; client: ClientCall } | undefined {
  let found: { node: ts.Node; operation: string; client: ClientCall } | undefined;
  const usesParent = (call: ts.CallExpression | ts.TaggedTemplateExpression): boolean => {
    const args = ts.isCallExpression(call) ? call.arguments : [call.template];
    for (const argument of args) for (const name of referencedNames(argument)) if (resolver.parentNames.has(name)) return true;
    // knex: ctx.db('t').where({ id: parent.x }).first() — the key sits in a step of the chain.
    for (const name of referencedNames(call)) if (resolver.parentNames.has(name)) return true;
    return false;
  };
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (isFunctionLike(node) && node !== resolver.fn) return;
    if (ts.isCallExpression(node) || ts.isTaggedTemplateExpression(node)) {
      const client = clientCall(node, file);
      if (client && client.kind !== 'write' && !client.alreadyBatched && !isBatchedInOneTick(client) && usesParent(node)) {
        found = { node, operation: client.operation, client };
        return;
      }
      if (!client && ts.isCallExpression(node) && usesParent(node)) {
        const io = callIo(node, file);
        if (io && io.summary.kind !== 'write' && !isBatchedInOneTick(io.summary.first)) {
          found = {
            node,
            operation: `${compact(file.textOf(node.expression), 40)}(…) (${[...io.summary.via, io.summary.first.operation].join(' → ')})`,
            client: io.summary.first,
          };
          return;
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  if (resolver.fn.body) visit(resolver.fn.body);
  return found;
}
