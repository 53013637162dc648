import { describe, expect, it } from 'vitest';
import { isLazyInitialisation } from '../../../src/analyzers/facts/positions';
import { enclosingFunction } from '../../../src/analyzers/facts/ast';
import { hereCall, parseExample } from '../../helpers/here';

describe('isLazyInitialisation', () => {
  function lazy(code: string): boolean {
    const marker = hereCall(parseExample(code, '/p/a.ts'));
    return isLazyInitialisation(marker, enclosingFunction(marker)!);
  }

  it.each([
    ['x ??= read()', `let t; function f() { t ??= here(); return t; }`],
    ['x = x || read()', `let t; function f() { t = t || here(); }`],
    ['if (!x) x = read()', `let t; function f() { if (!t) t = here(); }`],
    ['if (this.x === undefined) { this.x = read() }', `class A { f() { if (this.t === undefined) { this.t = here(); } } }`],
    ['if (x) return x; x = read()', `let t; function f() { if (t) return t; t = here(); return t; }`],
  ])('%s runs once', (_name, code) => {
    expect(lazy(code)).toBe(true);
  });

  it.each([
    ['a plain read', `function f() { return here(); }`],
    ['a local cache', `function f() { let t; t ??= here(); return t; }`],
    ['a guard on something else', `let t; function f() { if (!ready) t = here(); }`],
  ])('%s runs every time', (_name, code) => {
    expect(lazy(code)).toBe(false);
  });
});
