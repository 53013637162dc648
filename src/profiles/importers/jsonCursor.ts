/**
 * A pull reader over the bytes of a JSON document. The big formats (a 79 MB `.cpuprofile`, a
 * 30 MB Chrome trace) are read with it instead of `JSON.parse`: the importers take the numbers and
 * strings they need straight into typed arrays and skip the rest without building a single
 * object, which is both faster than `JSON.parse` and a fraction of its memory. It validates as it
 * goes, so truncated or malformed input fails with the byte offset instead of a wrong profile.
 */
import { ProfileError } from '../errors';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const MINUS = 0x2d;
const ZERO = 0x30;
const NINE = 0x39;

/** Bytes that may stand between strings and brackets: punctuation, numbers, literals, whitespace. */
const SKIPPABLE = new Uint8Array(256);
for (const character of ',:-+.0123456789eEtrufalsn \t\r\n') SKIPPABLE[character.charCodeAt(0)] = 1;

/** Nesting deeper than this is not a profile, and would otherwise overflow the reader. */
const MAX_DEPTH = 4096;

export class JsonCursor {
  pos = 0;
  /** Set by `stringSpan`: the raw bytes between the quotes, escapes not decoded. */
  spanStart = 0;
  spanEnd = 0;
  /** Whether the last span holds an escape (then it must be decoded by JSON rules). */
  spanEscaped = false;
  /** True right after `{` or `[`: the next member needs no comma. */
  private opened = false;
  private stack: Uint8Array | undefined;
  readonly length: number;

  constructor(readonly bytes: Buffer) {
    this.length = bytes.length;
  }

  fail(message: string): never {
    if (this.pos >= this.length) throw new ProfileError('truncated JSON: the file ends in the middle of the profile');
    throw new ProfileError(`invalid JSON at byte ${this.pos}: ${message}`);
  }

  /** Skips whitespace and returns the next byte, or -1 at the end. */
  peek(): number {
    const bytes = this.bytes;
    let pos = this.pos;
    let byte = bytes[pos];
    while (byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09) byte = bytes[++pos];
    this.pos = pos;
    return pos < this.length ? byte : -1;
  }

  enterObject(): void {
    if (this.peek() !== OPEN_BRACE) this.fail(`expected an object, found ${this.describe()}`);
    this.pos++;
    this.opened = true;
  }

  enterArray(): void {
    if (this.peek() !== OPEN_BRACKET) this.fail(`expected an array, found ${this.describe()}`);
    this.pos++;
    this.opened = true;
  }

  /**
   * Moves to the next key of the object being read and past its colon; the key is the current
   * span. False at the closing brace (consumed).
   */
  nextKey(): boolean {
    let byte = this.peek();
    if (byte === CLOSE_BRACE) {
      this.pos++;
      this.opened = false;
      return false;
    }
    if (this.opened) this.opened = false;
    else if (byte === COMMA) {
      this.pos++;
      byte = this.peek();
    } else this.fail(`expected "," or "}", found ${this.describe()}`);
    if (byte !== QUOTE) this.fail(`expected a key, found ${this.describe()}`);
    this.stringSpan();
    if (this.peek() !== COLON) this.fail(`expected ":", found ${this.describe()}`);
    this.pos++;
    return true;
  }

  /** Moves to the next item of the array being read. False at the closing bracket (consumed). */
  nextItem(): boolean {
    const byte = this.peek();
    if (byte === CLOSE_BRACKET) {
      this.pos++;
      this.opened = false;
      return false;
    }
    if (this.opened) this.opened = false;
    else if (byte === COMMA) this.pos++;
    else this.fail(`expected "," or "]", found ${this.describe()}`);
    return true;
  }

  /** Whether the current span (a key, usually) is exactly `ascii`. */
  spanIs(ascii: string): boolean {
    const length = ascii.length;
    if (this.spanEnd - this.spanStart !== length) return false;
    const bytes = this.bytes;
    const start = this.spanStart;
    for (let index = 0; index < length; index++) if (bytes[start + index] !== ascii.charCodeAt(index)) return false;
    return true;
  }

  /**
   * Reads a string's raw span (spanStart, spanEnd, spanEscaped) without decoding it. The loop
   * only looks for the closing quote: this is the hottest loop of every import.
   */
  stringSpan(): void {
    if (this.peek() !== QUOTE) this.fail(`expected a string, found ${this.describe()}`);
    const bytes = this.bytes;
    const length = this.length;
    const start = this.pos + 1;
    let pos = start;
    let escaped = false;
    let byte = bytes[pos];
    while (byte !== QUOTE) {
      if (byte === BACKSLASH) {
        escaped = true;
        pos++;
      }
      if (pos >= length) {
        this.pos = length;
        this.fail('unterminated string');
      }
      byte = bytes[++pos];
    }
    this.spanStart = start;
    this.spanEnd = pos;
    this.spanEscaped = escaped;
    this.pos = pos + 1;
  }

  /** The current span as a string. */
  spanText(): string {
    return decodeSpan(this.bytes, this.spanStart, this.spanEnd, this.spanEscaped);
  }

  string(): string {
    this.stringSpan();
    return this.spanText();
  }

  /** A string, or undefined for null. */
  optionalString(): string | undefined {
    if (this.peek() === 0x6e) {
      this.literal('null');
      return undefined;
    }
    return this.string();
  }

  /** A JSON number. Integers are read digit by digit; fractions and exponents by `Number`. */
  number(): number {
    const bytes = this.bytes;
    let byte = this.peek();
    const start = this.pos;
    let pos = start;
    let negative = false;
    if (byte === MINUS) {
      negative = true;
      byte = bytes[++pos];
    }
    if (!(byte >= ZERO && byte <= NINE)) this.fail(`expected a number, found ${this.describe()}`);
    let value = 0;
    while (byte >= ZERO && byte <= NINE) {
      value = value * 10 + (byte - ZERO);
      byte = bytes[++pos];
    }
    if (byte === 0x2e || byte === 0x65 || byte === 0x45) {
      while ((byte >= ZERO && byte <= NINE) || byte === 0x2e || byte === 0x65 || byte === 0x45 || byte === 0x2b || byte === MINUS)
        byte = bytes[++pos];
      value = Number(this.bytes.toString('latin1', start, pos));
      if (Number.isNaN(value)) {
        this.pos = start;
        this.fail('malformed number');
      }
      this.pos = pos;
      return value;
    }
    // Past 2^53 digit-by-digit accumulation would round differently from JSON.parse.
    if (value > Number.MAX_SAFE_INTEGER) value = Number(this.bytes.toString('latin1', negative ? start + 1 : start, pos));
    this.pos = pos;
    return negative ? -value : value;
  }

  /** A number, or undefined for null. */
  optionalNumber(): number | undefined {
    if (this.peek() === 0x6e) {
      this.literal('null');
      return undefined;
    }
    return this.number();
  }

  /** Appends every number of an array of numbers to `into`. */
  numbers(into: { push(value: number): void }): void {
    this.enterArray();
    while (this.nextItem()) into.push(this.number());
  }

  /** `true`, `false` or `null`. */
  literal(word: 'true' | 'false' | 'null'): void {
    const bytes = this.bytes;
    for (let index = 0; index < word.length; index++) {
      if (bytes[this.pos + index] !== word.charCodeAt(index)) this.fail(`expected ${word}`);
    }
    this.pos += word.length;
  }

  /** The type of the next value: 'object', 'array', 'string', 'number', 'literal', or 'end'. */
  kind(): 'object' | 'array' | 'string' | 'number' | 'literal' | 'end' {
    const byte = this.peek();
    if (byte === OPEN_BRACE) return 'object';
    if (byte === OPEN_BRACKET) return 'array';
    if (byte === QUOTE) return 'string';
    if (byte === MINUS || (byte >= ZERO && byte <= NINE)) return 'number';
    if (byte === -1) return 'end';
    return 'literal';
  }

  /**
   * Skips one value of any kind. Most of a Chrome trace is skipped, so this is one tight loop over
   * the bytes: strings, brackets and their nesting are checked (a truncated or garbled file still
   * fails), the punctuation between them only for being JSON's.
   */
  skip(): void {
    const first = this.peek();
    if (first !== OPEN_BRACE && first !== OPEN_BRACKET) {
      if (first === QUOTE) this.stringSpan();
      else if (first === MINUS || (first >= ZERO && first <= NINE)) this.number();
      else if (first === 0x74) this.literal('true');
      else if (first === 0x66) this.literal('false');
      else if (first === 0x6e) this.literal('null');
      else this.fail(`expected a value, found ${this.describe()}`);
      return;
    }
    const bytes = this.bytes;
    const length = this.length;
    const stack = (this.stack ??= new Uint8Array(MAX_DEPTH));
    let depth = 0;
    let pos = this.pos;
    while (pos < length) {
      const byte = bytes[pos];
      if (byte === QUOTE) {
        pos++;
        let inner = bytes[pos];
        while (inner !== QUOTE && pos < length) {
          if (inner === BACKSLASH) pos++;
          inner = bytes[++pos];
        }
        pos++;
      } else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) {
        if (depth === MAX_DEPTH) {
          this.pos = pos;
          this.fail('nested too deeply');
        }
        stack[depth++] = byte;
        pos++;
      } else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
        if (stack[depth - 1] !== byte - 2) {
          this.pos = pos;
          this.fail(`unexpected "${String.fromCharCode(byte)}"`);
        }
        pos++;
        if (--depth === 0) {
          this.pos = pos;
          this.opened = false;
          return;
        }
      } else if (SKIPPABLE[byte] === 1) {
        pos++;
      } else {
        this.pos = pos;
        this.fail(`unexpected ${this.describe()}`);
      }
    }
    this.pos = length;
    this.fail('unterminated value');
  }

  /** Fails unless only whitespace follows. */
  end(): void {
    if (this.peek() !== -1) this.fail(`unexpected ${this.describe()} after the end of the document`);
  }

  private describe(): string {
    if (this.pos >= this.length) return 'the end of the file';
    const byte = this.bytes[this.pos];
    if (byte >= 0x20 && byte < 0x7f) return `"${String.fromCharCode(byte)}"`;
    return `byte 0x${byte.toString(16).padStart(2, '0')}`;
  }
}

/** A string's raw bytes as text: escapes decoded by JSON's rules, other bytes as UTF-8. */
export function decodeSpan(bytes: Buffer, start: number, end: number, escaped: boolean): string {
  if (escaped) {
    try {
      return JSON.parse(bytes.toString('utf8', start - 1, end + 1)) as string;
    } catch {
      throw new ProfileError(`invalid JSON at byte ${start}: a malformed escape in a string`);
    }
  }
  for (let index = start; index < end; index++) {
    if (bytes[index] < 0x20) throw new ProfileError(`invalid JSON at byte ${index}: control character in a string`);
    if (bytes[index] > 0x7f) return bytes.toString('utf8', start, end);
  }
  return bytes.toString('latin1', start, end);
}

/**
 * An append-only array of numbers that grows by doubling (no per-item allocation), kept as
 * 32-bit integers (ids, indexes, lines) or as doubles (times, weights).
 */
export class GrowableNumbers<T extends Int32Array<ArrayBuffer> | Float64Array<ArrayBuffer>> {
  values: T;
  length = 0;

  constructor(private readonly create: new (length: number) => T) {
    this.values = new create(1024);
  }

  push(value: number): void {
    if (this.length === this.values.length) {
      const grown = new this.create(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.length++] = value;
  }
}
