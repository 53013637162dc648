/**
 * Runtime checks for the messages that cross a process or page boundary (the analysis worker's
 * protocol, the profile view's): each side parses what it receives against a table of field checks,
 * so a malformed message is refused with a reason instead of being trusted. Free of imports: the
 * profile view's page bundles it.
 */
export type Check = (value: unknown) => boolean;

export const isString: Check = (value) => typeof value === 'string';
export const isNumber: Check = (value) => typeof value === 'number' && Number.isFinite(value);
export const isBoolean: Check = (value) => typeof value === 'boolean';
export const isArray: Check = (value) => Array.isArray(value);
export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
export const arrayOf =
  (check: Check): Check =>
  (value) =>
    Array.isArray(value) && value.every(check);
export const optional =
  (check: Check): Check =>
  (value) =>
    value === undefined || check(value);
export const oneOf =
  (...values: unknown[]): Check =>
  (value) =>
    values.includes(value);
export const shape =
  (fields: Record<string, Check>): Check =>
  (value) =>
    isRecord(value) && Object.entries(fields).every(([key, check]) => check(value[key]));

/** `value` as the message its `type` names in `table` (field → check), or why it is not one. */
export function parseMessage<T extends { type: string }>(value: unknown, table: Record<string, Record<string, Check>>): T | string {
  if (!isRecord(value) || typeof value.type !== 'string') return 'not a message object with a "type"';
  const fields = Object.hasOwn(table, value.type) ? table[value.type] : undefined;
  if (!fields) return `unknown message type "${value.type.slice(0, 40)}"`;
  for (const [key, check] of Object.entries(fields)) {
    if (!check(value[key])) return `message "${value.type}" has a missing or invalid "${key}"`;
  }
  return value as T;
}
