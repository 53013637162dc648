/** SARIF output checked against the schema published with the SARIF 2.1.0 standard. */
import { createRequire } from 'node:module';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import type * as Sarif from 'sarif';

// Draft-04 JSON Schema, shipped by @microsoft/jest-sarif.
const schema = createRequire(__filename)('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json') as object;
// The schema's language-tag pattern is not a valid unicode-mode regular expression.
const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
addFormats(ajv);
const validate = ajv.compile(schema);

/** Parses `text` as a SARIF log and throws, naming every violation, when it does not follow the schema. */
export function validSarif(text: string): Sarif.Log {
  const log = JSON.parse(text) as Sarif.Log;
  if (!validate(log)) throw new Error(`invalid SARIF: ${ajv.errorsText(validate.errors)}`);
  return log;
}

/** A SARIF message string filled as §3.11.5 says: `{n}` is argument n, `{{` and `}}` are literal braces. */
export function renderSarifMessage(template: string, args: readonly string[]): string {
  return template.replace(/\{\{|\}\}|\{(\d+)\}|[{}]/g, (token, index?: string) => {
    if (token === '{{' || token === '}}') return token[0];
    if (index === undefined || Number(index) >= args.length) throw new Error(`malformed message string at "${token}": ${template}`);
    return args[Number(index)];
  });
}
