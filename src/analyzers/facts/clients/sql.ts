/**
 * Raw SQL, whatever the driver: the statement text a call runs (a literal, a template, a
 * constant), what kind of statement it is, the key it looks rows up by, and the batched forms in
 * the two placeholder dialects (PostgreSQL's `= ANY($1)`, MySQL's `IN (?)`).
 */
import { ts } from '../../ts';
import { calleeName, constantString, skipParens } from '../ast';
import { lookup } from '../dataflow';
import { o, propertyNameText, set, SK, v, type ClientCallNode, type ClientKind, type Op, type StepResult, type Val } from './model';

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
  // pg-format's `format('INSERT INTO … VALUES %L', rows)`: the statement is the format string's.
  if (ts.isCallExpression(inner) && calleeName(inner) === 'format' && inner.arguments[0] && depth < 3)
    return sqlText(inner.arguments[0], depth + 1);
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

/** The SQL changes rows or schema (INSERT, UPDATE, DELETE, a CTE ending in one, DDL): a read after it may see another answer. */
export function sqlWrites(sql: string | undefined): boolean {
  const statement = sqlVerb(sql);
  if (!statement) return false;
  return SQL_WRITE.test(statement) || (statement === 'WITH' && !!sql && /\)\s*(INSERT|UPDATE|DELETE)\b/i.test(sql));
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

/** The column a raw statement looks rows up by: `id` in `… WHERE id = $1`. */
export function sqlKey(sql: string | undefined): string | undefined {
  if (!sql) return undefined;
  const match = /\bWHERE\s+(?:[\w"`]+\.)?["`]?(\w+)["`]?\s*=\s*(\$\d+|\?|:\w+|@\w+)/i.exec(sql);
  return match ? match[1] : undefined;
}

/** A multi-row form of a raw statement, in PostgreSQL's (`$1` arrays) or MySQL's (`?` lists) dialect. */
export function sqlBatched(op: Op, k: string, dialect: 'postgres' | 'mysql'): string {
  const read = op.kind === 'query';
  if (dialect === 'postgres')
    return read
      ? `query with WHERE ${k} = ANY($1) (an array parameter)`
      : op.statement === 'INSERT'
        ? 'multi-row INSERT … VALUES (…), (…) (or INSERT … SELECT * FROM unnest($1, $2))'
        : `statement with WHERE ${k} = ANY($1)`;
  return read
    ? `query with WHERE ${k} IN (?) (an array parameter)`
    : op.statement === 'INSERT'
      ? 'multi-row INSERT … VALUES ?'
      : `statement with WHERE ${k} IN (?)`;
}

/** The wording for a raw statement whose key cannot be read from a `WHERE key = $1`: the shape, not a made-up column. */
export function keylessSqlBatched(op: Op): string {
  if (op.kind === 'query') return 'query for all of them (an IN list, = ANY($1), or a join)';
  return op.statement === 'INSERT' ? 'multi-row INSERT' : 'set-based statement';
}

/** A pool or connection of node-postgres or mysql2: `pool.query(sql)`, `pool.connect()` (one connection), `mysql.promise()`. */
export function poolCall(val: Val, name: string, call: ClientCallNode, anchor: number): StepResult {
  if (val.role === 'fn' || val.role === 'class') return undefined;
  if (name === 'query' || name === 'execute') return rawOp(val.lib, name, anchor, sqlOfCall(call), val);
  if (name === 'connect' || name === 'getConnection') return v({ lib: val.lib, role: 'client', single: true });
  if (name === 'promise') return v(val);
  return undefined;
}
