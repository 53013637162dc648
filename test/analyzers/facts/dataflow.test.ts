import { describe, expect, it } from 'vitest';
import { ts } from '../../../src/analyzers/ts';
import { ProjectHost } from '../../../src/analyzers/project';
import {
  insertionPoint,
  isInvariantIn,
  isSharedOutsideFile,
  isStableIn,
  references,
  resolve,
  uniqueName,
  useOf,
} from '../../../src/analyzers/facts/dataflow';
import { constantValue } from '../../../src/analyzers/facts/constants';
import { createsFreshArray, syntacticKind } from '../../../src/analyzers/facts/collections';

const host = new ProjectHost();

function parse(code: string, file = '/virtual/dataflow.ts'): ts.SourceFile {
  return host.parse(file, code);
}

/** Every identifier named `name`, in source order. */
function identifiers(root: ts.Node, name: string): ts.Identifier[] {
  const found: ts.Identifier[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node) && node.text === name) found.push(node);
    ts.forEachChild(node, visit);
  };
  visit(root);
  return found;
}

function find<T extends ts.Node>(root: ts.Node, test: (node: ts.Node) => node is T): T {
  let found: T | undefined;
  const visit = (node: ts.Node): void => {
    if (!found && test(node)) found = node;
    ts.forEachChild(node, visit);
  };
  visit(root);
  if (!found) throw new Error('not found');
  return found;
}

describe('resolve / references', () => {
  it('follows lexical scopes: a shadowing parameter or block declaration is another binding', () => {
    const sf = parse(`const a = [1]; function f(a: string) { return a; } { const a = 2; a; } a.push(2);`);
    const [outer, param, inParam, block, inBlock, last] = identifiers(sf, 'a');
    expect(resolve(inParam)?.id).toBe(param);
    expect(resolve(inBlock)?.id).toBe(block);
    expect(resolve(last)?.id).toBe(outer);
    expect(references(resolve(last)!)).toEqual([last]);
  });

  it('hoists var to the function and sees function declarations of a block', () => {
    const sf = parse(`function f() { x; if (true) { var x = 1; } g(); function g() {} }`);
    const [use] = identifiers(sf, 'x');
    expect(resolve(use)?.kind).toBe('var');
    expect(resolve(identifiers(sf, 'g')[0])?.kind).toBe('function');
  });

  it('does not count property names, keys and labels as references', () => {
    const sf = parse(`const a = 1; const o = { a: a }; o.a; a: for (;;) break a;`);
    // a (declared), a (key), a (value), o.a, a: (label), break a
    const declaration = resolve(identifiers(sf, 'a')[2])!;
    expect(declaration.id).toBe(identifiers(sf, 'a')[0]);
    expect(references(declaration).map((r) => r.parent.kind)).toEqual([ts.SyntaxKind.PropertyAssignment]);
  });

  it('knows imports and globals', () => {
    const sf = parse(`import fs from 'fs'; fs.readFileSync(''); undefinedGlobal;`);
    expect(resolve(identifiers(sf, 'fs')[1])?.kind).toBe('import');
    expect(resolve(identifiers(sf, 'undefinedGlobal')[0])).toBeUndefined();
  });
});

describe('useOf', () => {
  const kinds = (code: string, name = 'xs') => {
    const sf = parse(code);
    const declaration = resolve(identifiers(sf, name).at(-1)!)!;
    return references(declaration).map((r) => useOf(r).kind + (useOf(r).method ? `:${useOf(r).method}` : ''));
  };

  it('tells reads, writes, mutations and escapes apart', () => {
    expect(kinds(`let xs = [1]; xs.includes(1); xs.length; xs[0]; [...xs]; for (const x of xs) {} if (xs) {} xs;`)).toEqual([
      'read:includes',
      'read',
      'read',
      'read',
      'read',
      'read',
      'read',
    ]);
    expect(kinds(`let xs = [1]; xs = []; xs.push(1); xs[0] = 2; delete xs[0]; xs.length = 0; xs++;`)).toEqual([
      'write',
      'mutate:push',
      'mutate',
      'mutate',
      'mutate',
      'write',
    ]);
    expect(
      kinds(`let xs = [1]; f(xs); const ys = xs; o.p = xs; g({ xs }); xs.custom(); xs.forEach(h); xs.map((x, i, all) => all);`),
    ).toEqual(['escape', 'escape', 'escape', 'escape', 'escape:custom', 'escape:forEach', 'escape:map']);
  });

  it('counts destructuring and for-of targets as writes', () => {
    expect(kinds(`let xs: number[] = []; [xs] = [[1]]; ({ xs } = { xs: [] }); for (xs of [[1]]) {}`)).toEqual(['write', 'write', 'write']);
  });

  it('reports deep changes below the value separately', () => {
    const sf = parse(`const o = { a: { b: 1 } }; o.a.b = 2; o.a.list.push(1); o.a.name.trim();`);
    const uses = references(resolve(identifiers(sf, 'o')[1])!).map(useOf);
    expect(uses.map((u) => [u.kind, u.deep])).toEqual([
      ['read', true],
      ['read', true],
      ['read', false],
    ]);
  });
});

describe('stability and invariance', () => {
  it('is data flow, not names: a loop variable shadowing an outer name is not the outer name', () => {
    const sf = parse(`const p = 'a'; for (const q of qs) { new RegExp(p); } for (const p of ps) { new RegExp(p); }`);
    const [first, second] = [0, 1].map((i) =>
      find(sf, (n): n is ts.ForOfStatement => ts.isForOfStatement(n) && n.pos >= (i === 0 ? 0 : sf.statements[2].pos)),
    );
    const argument = (loop: ts.ForOfStatement) => find(loop, ts.isNewExpression).arguments![0];
    expect(isInvariantIn(argument(first), first)).toBe(true);
    expect(isInvariantIn(argument(second), second)).toBe(false);
  });

  it('a name written or mutated inside the loop is not stable there', () => {
    const sf = parse(`let a = 1; const b: number[] = []; while (c) { a++; b.push(1); }`);
    const loop = find(sf, ts.isWhileStatement);
    expect(isStableIn(resolve(identifiers(sf, 'a')[1])!, loop)).toBe(false);
    expect(isStableIn(resolve(identifiers(sf, 'b')[1])!, loop, 'binding')).toBe(true);
    expect(isStableIn(resolve(identifiers(sf, 'b')[1])!, loop, 'contents')).toBe(false);
  });

  it('accepts calls and property chains only when asked', () => {
    const sf = parse(`for (const x of xs) { new RegExp(escape(term)); new RegExp(opts.source); }`);
    const loop = find(sf, ts.isForOfStatement);
    const [call, chain] = identifiers(sf, 'RegExp').map((id) => (id.parent as ts.NewExpression).arguments![0]);
    expect(isInvariantIn(call, loop)).toBe(false);
    expect(isInvariantIn(call, loop, { calls: true })).toBe(true);
    expect(isInvariantIn(chain, loop, { propertyChains: true })).toBe(true);
  });
});

describe('places and names', () => {
  it('finds the statement to insert before, stopping at function and class boundaries', () => {
    const sf = parse(
      `function f() { if (a) for (const x of xs) g(x); }\nclass C { field = xs.map((x) => x); }\nconst h = () => xs.map((x) => x);`,
    );
    const loop = find(sf, ts.isForOfStatement);
    expect(insertionPoint(loop)?.kind).toBe(ts.SyntaxKind.IfStatement);
    const fieldCall = find(
      sf,
      (n): n is ts.CallExpression => ts.isCallExpression(n) && n.parent !== undefined && ts.isPropertyDeclaration(n.parent),
    );
    expect(insertionPoint(fieldCall)).toBeUndefined();
    const arrowBody = find(
      sf,
      (n): n is ts.CallExpression =>
        ts.isCallExpression(n) &&
        n.parent !== undefined &&
        ts.isArrowFunction(n.parent) &&
        n.parent.parent !== undefined &&
        ts.isVariableDeclaration(n.parent.parent),
    );
    expect(insertionPoint(arrowBody)).toBeUndefined();
  });

  it('makes names no identifier in the file uses', () => {
    const sf = parse(`const idsSet = 1; const idsSet2 = 2; o.idsSet3;`);
    expect(uniqueName(sf, 'idsSet')).toBe('idsSet4');
    expect(uniqueName(sf, 'other')).toBe('other');
    expect(uniqueName(sf, 'delete')).toBe('deleteValue');
  });

  it('counts whole words only, and sees identifiers spelled with \\u escapes', () => {
    // `myIdsSet` and `idsSetting` do not take `idsSet`; a \u-escaped `idsSet` does.
    expect(uniqueName(parse(`const myIdsSet = 1; const idsSetting = 2;`), 'idsSet')).toBe('idsSet');
    expect(uniqueName(parse(`const ids\\u0053et = 1;`), 'idsSet')).toBe('idsSet2');
  });

  it('knows what other files can reach', () => {
    const module = parse(`export const a: number[] = []; const b: number[] = [];`);
    expect(isSharedOutsideFile(resolve(identifiers(module, 'a')[0])!)).toBe(true);
    expect(isSharedOutsideFile(resolve(identifiers(module, 'b')[0])!)).toBe(false);
    const script = parse(`const c = []; c;`, '/virtual/script.js');
    expect(isSharedOutsideFile(resolve(identifiers(script, 'c')[1])!)).toBe(true);
    const commonjs = parse(`const fs = require('fs'); const d = []; d;`, '/virtual/cjs.js');
    expect(isSharedOutsideFile(resolve(identifiers(commonjs, 'd')[1])!)).toBe(false);
  });
});

describe('constants and array evidence', () => {
  it('evaluates constants through const names, and refuses changeable objects', () => {
    const sf = parse(
      `export {};\nconst P = 'a'; const O = { style: 'x' }; const M = { s: 'y' }; M.s = 'z'; const H = { s: 'w' }; keep(H);\nnew Intl.NumberFormat(P + '+', O); g(\`\${P}!\`, M, H);`,
    );
    const construct = find(sf, ts.isNewExpression).arguments!;
    expect(constantValue(construct[0])).toEqual({ value: 'a+' });
    expect(constantValue(construct[1])).toEqual({ value: { style: 'x' } });
    const args = find(
      sf,
      (n): n is ts.CallExpression => ts.isCallExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === 'g',
    ).arguments;
    expect(constantValue(args[0])).toEqual({ value: 'a!' });
    expect(constantValue(args[1])).toBeUndefined();
    expect(constantValue(args[2])).toBeUndefined();
  });

  it('tells arrays from strings by syntax', () => {
    const sf = parse(
      `const a = [1]; const s = 'x'; const k = Object.keys(o); const m = a.map(f); const t = s.slice(1); let u = []; u = [2]; f(a, s, k, m, t, u, s.split(','), o.list || []);`,
    );
    const args = find(
      sf,
      (n): n is ts.CallExpression =>
        ts.isCallExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === 'f' && n.arguments.length > 2,
    ).arguments;
    expect(args.map((a) => syntacticKind(a))).toEqual(['array', 'string', 'array', 'array', 'string', 'array', 'array', 'array']);
    expect(createsFreshArray(find(sf, (n): n is ts.CallExpression => ts.isCallExpression(n) && n.getText(sf) === 'a.map(f)'))).toBe(true);
  });
});
