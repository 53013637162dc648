/** `JSON.parse` for the formats that are read whole, with failures as one-line profile errors. */
import { ProfileError } from '../errors';

/** Strings in V8 cannot be longer than this; a larger JSON file cannot go through JSON.parse. */
const MAX_STRING_BYTES = (1 << 29) - 24;

export function parseJson(bytes: Buffer): unknown {
  if (bytes.length > MAX_STRING_BYTES)
    throw new ProfileError(`the file is ${Math.round(bytes.length / 1048576)} MB: too large for a profile of this format`);
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/end of (JSON )?input|Unterminated/i.test(message))
      throw new ProfileError('truncated JSON: the file ends in the middle of the profile');
    throw new ProfileError(`invalid JSON: ${message}`);
  }
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
