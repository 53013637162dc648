/**
 * Raw SQL: the statement text a call runs (a literal, a template, a constant), what kind of
 * statement it is, and the batched forms of the SQL drivers — node-postgres, postgres.js,
 * @vercel/postgres, Neon, pg-promise, mysql/mysql2, and SQL text sent through anything else.
 */
import { ts } from '../../ts';
import { constantString, skipParens } from '../ast';
import { lookup } from '../dataflow';
import type { FileFacts } from '../fileFacts';
import { o, propertyNameText, set, SK, type ClientCallNode, type ClientKind, type Op, type StepResult, type Val } from './model';

/** Raw statement methods: a first argument that is SQL text makes them queries whatever the receiver (pg-promise included). */
export const RAW_SQL_METHODS = set(
  'query',
  'execute',
  'raw',
  'unsafe',
  'none',
  'one',
  'oneOrNone',
  'many',
  'manyOrNone',
  'any',
  'result',
  'multi',
  'run',
  'all',
);

export function sqlOfTemplate(template: ts.TemplateLiteral): string {
  if (ts.isNoSubstitutionTemplateLiteral(template)) return template.text;
  return template.head.text + template.templateSpans.map((span, i) => `$${i + 1}${span.literal.text}`).join('');
}

/** The SQL text a raw-query call runs, when it is written (or held by a constant). */
export function sqlText(argument: ts.Expression, depth = 0): string | undefined {
  const inner = skipParens(argument);
  const text = constantString(inner);
  if (text !== undefined) return text;
  if (ts.isTemplateExpression(inner)) return sqlOfTemplate(inner);
  if (ts.isTaggedTemplateExpression(inner)) return sqlOfTemplate(inner.template);
  if (ts.isObjectLiteralExpression(inner)) {
    for (const property of inner.properties) {
      if (ts.isPropertyAssignment(property) && (propertyNameText(property.name) === 'text' || propertyNameText(property.name) === 'sql')) {
        return sqlText(property.initializer, depth + 1);
      }
    }
    return undefined;
  }
  if (ts.isIdentifier(inner) && depth < 3) {
    const declaration = lookup(inner.text, inner);
    if (declaration && declaration.kind === 'const' && declaration.initializer) return sqlText(declaration.initializer, depth + 1);
  }
  if (ts.isBinaryExpression(inner) && inner.operatorToken.kind === SK.PlusToken) return sqlText(inner.left, depth + 1);
  return undefined;
}

export function sqlOfCall(call: ClientCallNode): string | undefined {
  if (ts.isTaggedTemplateExpression(call)) return sqlOfTemplate(call.template);
  const first = call.arguments[0];
  return first ? sqlText(first) : undefined;
}

const SQL_READ = /^(SELECT|WITH|SHOW|EXPLAIN|VALUES|DESCRIBE|TABLE|PRAGMA)$/;
const SQL_WRITE = /^(INSERT|UPDATE|DELETE|UPSERT|MERGE|REPLACE|TRUNCATE|CREATE|ALTER|DROP|CALL|COPY|GRANT|REVOKE)$/;
/** Transaction and session control: round trips, but never "the query per item". */
export const SQL_CONTROL = /^(BEGIN|START|COMMIT|END|ROLLBACK|SAVEPOINT|RELEASE|SET|LOCK|PREPARE|DEALLOCATE|LISTEN|UNLISTEN|NOTIFY)$/;

function sqlVerb(sql: string | undefined): string | undefined {
  if (sql === undefined) return undefined;
  const match = /^\s*(?:\/\*[\s\S]*?\*\/\s*|--[^\n]*\n\s*)*\(?\s*([A-Za-z]+)/.exec(sql);
  return match ? match[1].toUpperCase() : undefined;
}

/** SQL text that is unmistakably a statement (evidence on its own, whatever the receiver). */
export function looksLikeSql(sql: string | undefined): boolean {
  if (sql === undefined) return false;
  return /^\s*(SELECT\s[\s\S]*\bFROM\b|SELECT\s+(1|NOW\(\)|COUNT\()|INSERT\s+INTO\s|UPDATE\s+[\w."`[\]]+\s+SET\s|DELETE\s+FROM\s|WITH\s+(RECURSIVE\s+)?\w+\s+AS\s*\(|REPLACE\s+INTO\s|MERGE\s+INTO\s)/i.test(
    sql,
  );
}

export function rawOp(lib: string, method: string, anchor: number, sql: string | undefined, val: Val, kindHint?: ClientKind): StepResult {
  const statement = sqlVerb(sql);
  let kind: ClientKind = kindHint ?? 'query';
  if (statement && SQL_WRITE.test(statement)) kind = 'write';
  else if (statement && SQL_CONTROL.test(statement)) kind = 'write';
  else if (statement === 'WITH' && sql && /\)\s*(INSERT|UPDATE|DELETE)\b/i.test(sql)) kind = 'write';
  else if (statement && SQL_READ.test(statement)) kind = 'query';
  return o({ lib, kind, method, anchor, raw: true, statement, sql, tx: val.tx, single: val.single });
}

/** Which driver raw SQL text goes through, from the file's imports. */
export function sqlLibrary(facts: FileFacts): string {
  const imports = facts.imports;
  if (imports.imports('pg') || imports.imports('pg-pool')) return 'pg';
  if (imports.importsAny((module) => module === 'mysql' || module === 'mysql2' || module === 'mysql2/promise')) return 'mysql2';
  if (imports.imports('pg-promise')) return 'pg-promise';
  if (imports.imports('better-sqlite3')) return 'sqlite';
  if (imports.imports('typeorm')) return 'typeorm';
  return 'sql';
}

/** The column a raw statement looks rows up by: `id` in `… WHERE id = $1`. */
export function sqlKey(sql: string | undefined): string | undefined {
  if (!sql) return undefined;
  const match = /\bWHERE\s+(?:[\w"`]+\.)?["`]?(\w+)["`]?\s*=\s*(\$\d+|\?|:\w+|@\w+)/i.exec(sql);
  return match ? match[1] : undefined;
}

/** pg, postgres.js, @vercel/postgres, Neon, pg-promise, mysql2 and unknown drivers. */
export function sqlBatched(op: Op, k: string): string | undefined {
  const read = op.kind === 'query';
  switch (op.lib) {
    case 'pg':
    case 'postgres':
    case 'vercel-postgres':
    case 'pg-promise':
      return read
        ? `query with WHERE ${k} = ANY($1) (an array parameter)`
        : op.statement === 'INSERT'
          ? 'multi-row INSERT … VALUES (…), (…) (or INSERT … SELECT * FROM unnest($1, $2))'
          : `statement with WHERE ${k} = ANY($1)`;
    case 'mysql2':
    case 'sql':
      return read
        ? `query with WHERE ${k} IN (?) (an array parameter)`
        : op.statement === 'INSERT'
          ? 'multi-row INSERT … VALUES ?'
          : `statement with WHERE ${k} IN (?)`;
    default:
      return undefined;
  }
}
