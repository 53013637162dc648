/**
 * SQL text sent through any driver: `x.query('SELECT … FROM …')`, `this.query(sql)`, pg-promise's
 * `db.one('SELECT …')` — the text is the evidence, whatever the receiver. The library is the driver
 * the file imports (`Shape.sqlLibrary`), or `sql` when nothing says; `sql` words its batched forms
 * in the `?` dialect.
 */
import { looksLikeSql, RAW_SQL_METHODS, rawOp, sqlBatched, sqlText } from '../clients/sql';
import type { Library } from './library';

export const rawSql: Library = {
  id: 'sql',
  client: {
    anchors: RAW_SQL_METHODS,
    // Not `this.query(…)` in a class that defines `query` itself: that is the project's (or the driver's own)
    // method, which facts/summaries follows to see what it really does.
    byShape: (shape) => {
      const { method, args, anchor } = shape;
      if (!RAW_SQL_METHODS.has(method) || !args?.[0] || shape.callsOwnMethod()) return undefined;
      const sql = sqlText(args[0]);
      if (!looksLikeSql(sql)) return undefined;
      const result = rawOp(shape.sqlLibrary(), method, anchor, sql, { lib: 'sql', role: 'client' });
      return result && 'op' in result ? result.op : undefined;
    },
  },
  batching: {
    // SQL's own batched forms, whatever the driver.
    text: /\bANY\s*\(|\bIN\s*\(|\bunnest\s*\(/,
    describe: (op, k) => sqlBatched(op, k, 'mysql'),
  },
};
