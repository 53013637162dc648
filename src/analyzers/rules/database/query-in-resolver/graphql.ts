/**
 * GraphQL field resolvers: functions a GraphQL server runs once per parent object — for every
 * post in a list of 100 posts, `Post.author` runs 100 times. Recognised in the common shapes:
 *
 * - resolver maps: `{ Post: { author: (post, args, ctx) => … } }`, `resolvers.Post = { … }`,
 *   `export const Post: PostResolvers = { … }` (graphql-codegen), Mercurius loaders excluded;
 * - Nest `@ResolveField()` and type-graphql `@FieldResolver()` methods (parent: `@Parent()`/`@Root()`);
 * - graphql-js, Nexus and Pothos `resolve` functions of object types' fields.
 *
 * Root types (`Query`, `Mutation`, `Subscription`) run once per operation and are not field
 * resolvers in this sense.
 */
import { ts } from '../../../ts';
import { boundNames, calleeName, constantString, skipParens, type FunctionLike } from '../../../facts/ast';
import type { FileFacts } from '../../../facts/fileFacts';

const ROOT_TYPES = /^(Query|Mutation|Subscription|RootQuery(Type)?|RootMutation(Type)?)$/;
const GRAPHQL_MODULES =
  /^(graphql|graphql-yoga|mercurius|nexus|type-graphql|@nestjs\/graphql|@apollo\/server|apollo-server.*|@graphql-tools\/.*|@pothos\/.*|graphql-compose|@graphql-yoga\/.*|express-graphql|graphql-http)$/;

export interface FieldResolver {
  fn: FunctionLike;
  /** The parent object's names inside the resolver: the first parameter and what it is destructured into. */
  parentNames: Set<string>;
  /** `Post.author` when both are written. */
  field: string;
}

function decoratorNames(node: ts.Node): string[] {
  const decorators = (ts.canHaveDecorators(node) ? ts.getDecorators(node) : undefined) ?? [];
  return decorators.map(
    (d) =>
      (ts.isCallExpression(d.expression) ? calleeName(d.expression) : ts.isIdentifier(d.expression) ? d.expression.text : undefined) ?? '',
  );
}

function propertyName(name: ts.PropertyName | undefined): string | undefined {
  if (!name) return undefined;
  if (ts.isIdentifier(name) || ts.isStringLiteral(name)) return name.text;
  return undefined;
}

function isGraphqlFile(facts: FileFacts): boolean {
  return facts.imports.importsAny((module) => GRAPHQL_MODULES.test(module)) || /(^|[\\/])resolvers?([\\/.]|$)/i.test(facts.fileName);
}

function parentOf(parameter: ts.ParameterDeclaration | undefined): Set<string> {
  const names = new Set<string>();
  if (!parameter) return names;
  for (const name of boundNames(parameter.name)) if (!/^_+$/.test(name)) names.add(name);
  return names;
}

/** `{ Post: { author: fn } }`: the type the object literal holding `fn` resolves, from its key, variable or annotation. */
function resolverMapType(object: ts.ObjectLiteralExpression): string | undefined {
  const holder = object.parent;
  if (!holder) return undefined;
  if (ts.isPropertyAssignment(holder) && holder.initializer === object) return propertyName(holder.name);
  if (ts.isVariableDeclaration(holder) && holder.initializer === object) {
    const annotation =
      holder.type && ts.isTypeReferenceNode(holder.type) && ts.isIdentifier(holder.type.typeName) ? holder.type.typeName.text : undefined;
    // graphql-codegen: `const Post: PostResolvers = { … }`
    if (annotation && /Resolvers$/.test(annotation) && annotation !== 'Resolvers' && annotation !== 'IResolvers')
      return annotation.replace(/Resolvers$/, '');
    if (ts.isIdentifier(holder.name) && /^[A-Z]/.test(holder.name.text)) return holder.name.text;
    return undefined;
  }
  // resolvers.Post = { … }
  if (ts.isBinaryExpression(holder) && holder.right === object && ts.isPropertyAccessExpression(holder.left)) return holder.left.name.text;
  return undefined;
}

/** `const Post: PostResolvers = { … }` (graphql-codegen): the annotation says what the object is. */
function typedAsResolvers(object: ts.ObjectLiteralExpression): boolean {
  const holder = object.parent;
  if (!holder || !ts.isVariableDeclaration(holder) || !holder.type || !ts.isTypeReferenceNode(holder.type)) return false;
  const name = holder.type.typeName;
  return ts.isIdentifier(name) && /Resolvers$/.test(name.text);
}

/** Mercurius `loaders: { Dog: { owner: async (queries) => … } }`: already the batched form. */
function isLoaderMap(object: ts.ObjectLiteralExpression): boolean {
  const typeProperty = object.parent;
  const map = typeProperty && ts.isPropertyAssignment(typeProperty) ? typeProperty.parent : undefined;
  const holder = map && ts.isObjectLiteralExpression(map) ? map.parent : undefined;
  if (!holder) return false;
  if (ts.isPropertyAssignment(holder)) return /loaders?$/i.test(propertyName(holder.name) ?? '');
  if (ts.isVariableDeclaration(holder) && ts.isIdentifier(holder.name)) return /loaders?$/i.test(holder.name.text);
  return false;
}

/** The name of the object type a `fields`/`definition` config belongs to (graphql-js, Nexus, Pothos). */
function objectTypeName(fn: ts.Node): string | undefined {
  for (let current: ts.Node | undefined = fn.parent; current; current = current.parent) {
    if (!(ts.isCallExpression(current) || ts.isNewExpression(current))) continue;
    const name = calleeName(current);
    if (!name) continue;
    if (/^(queryType|mutationType|subscriptionType|queryField|mutationField|queryFields|mutationFields|extendType)$/.test(name)) {
      if (name === 'extendType') {
        const config = current.arguments?.[0];
        const type =
          config && ts.isObjectLiteralExpression(skipParens(config))
            ? configValue(skipParens(config) as ts.ObjectLiteralExpression, 'type')
            : undefined;
        return type ?? 'Query';
      }
      return 'Query';
    }
    if (/^(GraphQLObjectType|objectType|prismaObject|prismaNode|interfaceType|node)$/.test(name)) {
      const config = current.arguments?.find((argument) => ts.isObjectLiteralExpression(skipParens(argument)));
      const named = config ? configValue(skipParens(config) as ts.ObjectLiteralExpression, 'name') : undefined;
      const first = current.arguments?.[0];
      return (
        named ??
        (first
          ? (constantString(first) ?? (ts.isIdentifier(skipParens(first)) ? (skipParens(first) as ts.Identifier).text : undefined))
          : undefined) ??
        'Object'
      );
    }
  }
  return undefined;
}

function configValue(config: ts.ObjectLiteralExpression, key: string): string | undefined {
  for (const property of config.properties) {
    if (ts.isPropertyAssignment(property) && propertyName(property.name) === key) return constantString(property.initializer);
  }
  return undefined;
}

/** If `fn` is a resolver GraphQL runs once per parent object, describes it. */
export function fieldResolver(fn: FunctionLike, facts: FileFacts): FieldResolver | undefined {
  // Nest / type-graphql
  if (ts.isMethodDeclaration(fn)) {
    const names = decoratorNames(fn);
    if (names.includes('ResolveField') || names.includes('FieldResolver')) {
      const parent = fn.parameters.find((p) => decoratorNames(p).some((n) => n === 'Parent' || n === 'Root'));
      if (!parent) return undefined;
      const cls = fn.parent;
      const className = cls && ts.isClassDeclaration(cls) ? cls.name?.text.replace(/Resolver$/, '') : undefined;
      return { fn, parentNames: parentOf(parent), field: `${className ?? 'type'}.${propertyName(fn.name) ?? 'field'}` };
    }
  }
  const holder = fn.parent;
  if (!holder) return undefined;
  let fieldName: string | undefined;
  let object: ts.ObjectLiteralExpression | undefined;
  if (ts.isMethodDeclaration(fn) && ts.isObjectLiteralExpression(holder)) {
    fieldName = propertyName(fn.name);
    object = holder;
  } else if (ts.isPropertyAssignment(holder) && holder.initializer === fn && ts.isObjectLiteralExpression(holder.parent)) {
    fieldName = propertyName(holder.name);
    object = holder.parent;
  }
  if (!object || !fieldName || fn.parameters.length === 0) return undefined;
  if (!isGraphqlFile(facts) && !typedAsResolvers(object)) return undefined;
  if (fieldName === 'resolve') {
    // graphql-js / Nexus / Pothos: { type, resolve(parent, args, ctx) { … } }
    const type = objectTypeName(fn);
    if (!type || ROOT_TYPES.test(type)) return undefined;
    const fieldHolder = object.parent;
    const field =
      fieldHolder && ts.isPropertyAssignment(fieldHolder)
        ? propertyName(fieldHolder.name)
        : fieldHolder && ts.isCallExpression(fieldHolder)
          ? constantString(fieldHolder.arguments[0])
          : undefined;
    return { fn, parentNames: parentOf(fn.parameters[0]), field: `${type}.${field ?? 'field'}` };
  }
  const type = resolverMapType(object);
  if (isLoaderMap(object)) return undefined;
  if (!type || !/^[A-Z]/.test(type) || ROOT_TYPES.test(type) || /^(Resolvers|IResolvers|Loaders)$/.test(type)) return undefined;
  // Custom scalars (`Date: new GraphQLScalarType(…)`) and `__resolveType` are not per-parent fetches.
  if (fieldName.startsWith('__')) return undefined;
  return { fn, parentNames: parentOf(fn.parameters[0]), field: `${type}.${fieldName}` };
}
