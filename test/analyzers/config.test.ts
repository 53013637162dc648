import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, findConfigFile, loadConfigFile, validateConfig } from '../../src/analyzers/config';

const known = new Set(['query-in-loop', 'lookup-in-loop']);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'perflens-config-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('validateConfig', () => {
  it('accepts rules and ignore, and $schema', () => {
    const config = validateConfig(
      { $schema: 'x', rules: { 'query-in-loop': 'error', 'lookup-in-loop': 'off' }, ignore: ['gen/**'] },
      'c',
      '/r',
      known,
    );
    expect(config).toEqual({ rules: { 'query-in-loop': 'error', 'lookup-in-loop': 'off' }, ignore: ['gen/**'], root: '/r' });
  });

  it.each([
    [[], /expected a JSON object/],
    [{ rules: [] }, /"rules" must be an object/],
    [{ rules: { 'query-in-lop': 'off' } }, /unknown rule "query-in-lop" \(did you mean "query-in-loop"\?\)/],
    [{ rules: { 'query-in-loop': 'warn' } }, /must be one of off, info, warning, error \(got "warn"\)/],
    [{ ignore: 'gen' }, /"ignore" must be an array of glob strings/],
    [{ rule: {} }, /unknown key "rule"/],
  ])('rejects %j with one clear line', (value, message) => {
    expect(() => validateConfig(value, '.perflensrc.json', '/r', known)).toThrow(ConfigError);
    expect(() => validateConfig(value, '.perflensrc.json', '/r', known)).toThrow(message);
  });
});

describe('loadConfigFile / findConfigFile', () => {
  it('reads a file (BOM tolerated) and finds the nearest one upwards', () => {
    const file = path.join(dir, '.perflensrc.json');
    fs.writeFileSync(file, '\uFEFF{ "rules": { "query-in-loop": "info" } }');
    fs.mkdirSync(path.join(dir, 'a/b'), { recursive: true });
    expect(findConfigFile(path.join(dir, 'a/b'))).toBe(file);
    expect(loadConfigFile(file, known)).toMatchObject({ rules: { 'query-in-loop': 'info' }, root: dir, source: file });
  });

  it('reports invalid JSON and unreadable files as ConfigError', () => {
    const bad = path.join(dir, 'bad.json');
    fs.writeFileSync(bad, '{ "rules": ');
    expect(() => loadConfigFile(bad, known)).toThrow(/invalid JSON/);
    expect(() => loadConfigFile(path.join(dir, 'missing.json'), known)).toThrow(/cannot read config .*ENOENT/);
  });
});
