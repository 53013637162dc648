import { describe, expect, it } from 'vitest';
import { findings, shownText } from '../../helpers/analyze';
import { ruleTester } from '../../helpers/ruleTester';

const rule = 'query-in-resolver';
const tester = ruleTester(rule);
const messages = (code: string, filename?: string): string[] => findings(code, { rule, filename }).map(shownText);
const APOLLO = `import { ApolloServer } from '@apollo/server';\nimport { prisma } from './db';\n`;

describe('query-in-resolver reports a lookup per parent', () => {
  it('names the field, the cost and the DataLoader fix', async () => {
    const code = `${APOLLO}const resolvers = { Post: { comments: (post) => prisma.comment.findMany({ where: { postId: post.id } }) } };`;
    await tester.invalid({ code, errors: [{ messageId: 'perParent', line: 3, column: 49 }] });
    expect(messages(code)).toEqual([
      'prisma.comment.findMany runs once per parent in Post.comments (N+1): a list of 100 parents costs 100 queries. Batch them with a DataLoader created per request — its batch function runs findMany({ where: { postId: { in: postIds } } }) for all keys of one tick.',
    ]);
  });

  it.each([
    [
      'a method in a resolver map',
      `${APOLLO}const resolvers = { User: { async posts(user) { return prisma.post.findMany({ where: { authorId: user.id } }); } } };`,
      'User.posts',
      [{ messageId: 'perParent', line: 3, column: 56 }],
    ],
    [
      'a destructured parent',
      `${APOLLO}const resolvers = { Post: { tags: ({ id }) => prisma.tag.findMany({ where: { postId: id } }) } };`,
      'Post.tags',
      [{ messageId: 'perParent', line: 3, column: 47 }],
    ],
    [
      'resolvers.Type = { … }',
      `${APOLLO}const resolvers: any = {};\nresolvers.Order = { lines: (order) => prisma.line.findMany({ where: { orderId: order.id } }) };`,
      'Order.lines',
      [{ messageId: 'perParent', line: 4, column: 39 }],
    ],
    [
      'graphql-codegen typed resolvers',
      `import { prisma } from './db';\nimport type { PostResolvers } from './generated';\nexport const Post: PostResolvers = { author: (post) => prisma.user.findFirst({ where: { id: post.authorId } }) };`,
      'Post.author',
      [{ messageId: 'perParent', line: 3, column: 56 }],
    ],
    [
      'type-graphql @FieldResolver',
      `import { FieldResolver, Resolver, Root } from 'type-graphql';\nimport { prisma } from './db';\n@Resolver(() => Recipe)\nexport class RecipeResolver {\n  @FieldResolver()\n  ratings(@Root() recipe: Recipe) { return prisma.rating.findMany({ where: { recipeId: recipe.id } }); }\n}`,
      'Recipe.ratings',
      [{ messageId: 'perParent', line: 6, column: 44 }],
    ],
    [
      'graphql-js GraphQLObjectType',
      `import { GraphQLObjectType, GraphQLList } from 'graphql';\nimport { pool } from './db';\nexport const AuthorType = new GraphQLObjectType({ name: 'Author', fields: () => ({ books: { type: new GraphQLList(BookType), resolve: (author) => pool.query('SELECT * FROM books WHERE author_id = $1', [author.id]) } }) });`,
      'Author.books',
      [{ messageId: 'perParent', line: 3, column: 147 }],
    ],
    [
      'Mongoose',
      `import { ApolloServer } from '@apollo/server';\nimport { User } from './models/user';\nconst resolvers = { Post: { author: (post) => User.findById(post.authorId) } };`,
      'Post.author',
      [{ messageId: 'perParent', line: 3, column: 47 }],
    ],
  ])('%s', async (_name, code, field, errors) => {
    const [found] = await tester.invalid({ code, errors });
    expect(found.message).toContain(field);
  });

  it('a lookup behind a service call in another file', async () => {
    const found = await tester.invalid({
      files: {
        'src/db.ts': `import { PrismaClient } from '@prisma/client';\nexport const prisma = new PrismaClient();`,
        'src/users.ts': `import { prisma } from './db';\nexport function usersOfTeam(teamId: string) { return prisma.user.findMany({ where: { teamId } }); }`,
      },
      filename: 'src/resolvers.ts',
      code: `import { usersOfTeam } from './users';\nexport const resolvers = { Team: { members: (team) => usersOfTeam(team.id) } };`,
      errors: [{ messageId: 'perParent', line: 2, column: 55 }],
    });
    expect(found.map(shownText)).toEqual([
      'usersOfTeam(…) (prisma.user.findMany) runs once per parent in Team.members (N+1): a list of 100 parents costs 100 queries. Batch them with a DataLoader created per request — its batch function runs findMany({ where: { teamId: { in: teamIds } } }) for all keys of one tick.',
    ]);
  });
});

describe('query-in-resolver stays quiet', () => {
  it.each([
    ['Mutation fields', `${APOLLO}const resolvers = { Mutation: { addPost: (_root, { input }) => prisma.post.create({ data: input }) } };`],
    ['a resolver that returns a field of the parent', `${APOLLO}const resolvers = { Post: { title: (post) => post.title.trim() } };`],
    [
      'a loader from the context',
      `${APOLLO}const resolvers = { Post: { author: (post, _a, { loaders }) => loaders.user.load(post.authorId) } };`,
    ],
    [
      'Prisma findUnique (batched by Prisma)',
      `${APOLLO}const resolvers = { Comment: { post: (comment) => prisma.post.findUnique({ where: { id: comment.postId } }) } };`,
    ],
    [
      'an object literal that is not a resolver map',
      `import { prisma } from './db';\nconst handlers = { Post: { load: (post) => prisma.comment.findMany({ where: { postId: post.id } }) } };`,
    ],
    [
      'custom scalars and __resolveType',
      `${APOLLO}const resolvers = { Node: { __resolveType: (obj) => prisma.kind.findFirst({ where: { id: obj.kindId } }) } };`,
    ],
    [
      'a Nest @ResolveField that uses a DataLoader',
      `import { Parent, ResolveField, Resolver } from '@nestjs/graphql';\n@Resolver(() => Post)\nexport class PostResolver {\n  constructor(private readonly loaders: Loaders) {}\n  @ResolveField()\n  author(@Parent() post: Post) { return this.loaders.user.load(post.authorId); }\n}`,
    ],
  ])('%s', (_name, code) => {
    expect(messages(code)).toEqual([]);
  });

  it('in tests', () => {
    expect(
      messages(
        `${APOLLO}const resolvers = { Post: { comments: (post) => prisma.comment.findMany({ where: { postId: post.id } }) } };`,
        'test/resolvers.test.ts',
      ),
    ).toEqual([]);
  });
});

describe('query-in-resolver: fields that resolve for one parent only', () => {
  it('a field guarded to the requesting user', () => {
    expect(
      messages(
        `import { Parent, ResolveField, Resolver } from '@nestjs/graphql';\nimport { prisma } from './db';\n@Resolver(() => User)\nexport class UserHistoryResolver {\n  constructor(private readonly history: HistoryService) {}\n  @ResolveField()\n  async history(@Parent() user: User, @GqlUser() me: User) {\n    if (me.uid !== user.uid) return [];\n    return prisma.history.findMany({ where: { userUid: user.uid } });\n  }\n}`,
      ),
    ).toEqual([]);
  });
});
