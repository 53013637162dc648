/** The settings' typed mirror and defensive parser, and package.json declaring the same. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULE_SETTINGS } from '../../src/analyzers/config';
import { SEVERITIES } from '../../src/analyzers/finding';
import {
  CODE_LENS_SETTING,
  HOT_SHARE_SETTING,
  hotShareOf,
  KEEP_SETTING,
  DEFAULT_SETTINGS,
  isShownAt,
  MIN_SEVERITIES,
  parseSettings,
  RUN_MODES,
  SETTINGS_SECTION,
} from '../../src/settings';
import { RULE_SETTING_VALUES } from '../../src/worker/protocol';

const KNOWN = new Set(['sync-io-in-async', 'query-in-loop']);
const read = (values: Record<string, unknown>) => (key: string) => values[key];

describe('parseSettings', () => {
  it('gives the defaults when nothing is set', () => {
    expect(parseSettings(read({}), KNOWN)).toEqual({ settings: DEFAULT_SETTINGS, problems: [] });
  });

  it('takes well-formed values as they are', () => {
    const { settings, problems } = parseSettings(
      read({
        enable: false,
        run: 'onSave',
        minSeverity: 'warning',
        exclude: ['generated/**', 'vendor/'],
        rules: { 'sync-io-in-async': 'error', 'query-in-loop': 'off' },
      }),
      KNOWN,
    );
    expect(problems).toEqual([]);
    expect(settings).toEqual({
      enable: false,
      run: 'onSave',
      minSeverity: 'warning',
      exclude: ['generated/**', 'vendor/'],
      rules: { 'sync-io-in-async': 'error', 'query-in-loop': 'off' },
    });
  });

  it('drops unknown rule ids and severities, keeping the rest, with one problem line for the setting', () => {
    const { settings, problems } = parseSettings(
      read({ rules: { 'sync-io-in-async': 'loud', 'query-in-lop': 'error', 'query-in-loop': 'info' } }),
      KNOWN,
    );
    expect(settings.rules).toEqual({ 'query-in-loop': 'info' });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^perflens\.rules: ignored /);
    expect(problems[0]).toContain('"sync-io-in-async": "loud"');
    expect(problems[0]).toContain('unknown rule "query-in-lop"');
  });

  it('accepts any rule id before the rule catalogue is known', () => {
    expect(parseSettings(read({ rules: { 'future-rule': 'warning' } })).settings.rules).toEqual({ 'future-rule': 'warning' });
  });

  it('falls back to the default for values of the wrong type, saying so', () => {
    const { settings, problems } = parseSettings(
      read({ enable: 'yes', run: 'always', minSeverity: 'hint', exclude: 'dist/**', rules: ['sync-io-in-async'] }),
      KNOWN,
    );
    expect(settings).toEqual(DEFAULT_SETTINGS);
    expect(problems.map((p) => p.split(':')[0])).toEqual([
      'perflens.enable',
      'perflens.run',
      'perflens.minSeverity',
      'perflens.exclude',
      'perflens.rules',
    ]);
    expect(problems[2]).toBe('perflens.minSeverity: expected error, warning, info, got "hint"; using info');
  });

  it('shows, at each minSeverity, the findings as severe as it or more, as the CLI does', () => {
    const shown = (min: (typeof SEVERITIES)[number]) => SEVERITIES.filter((severity) => isShownAt(severity, min));
    expect(shown('info')).toEqual(['error', 'warning', 'info']);
    expect(shown('warning')).toEqual(['error', 'warning']);
    expect(shown('error')).toEqual(['error']);
  });

  it('keeps the good globs of a mixed array', () => {
    const { settings, problems } = parseSettings(read({ exclude: ['a/**', 3, '', 'b/'] }), KNOWN);
    expect(settings.exclude).toEqual(['a/**', 'b/']);
    expect(problems).toEqual(['perflens.exclude: ignored 3, "" (expected non-empty glob strings)']);
  });

  it('never shares the default objects with a result', () => {
    const { settings } = parseSettings(read({}), KNOWN);
    settings.rules.x = 'off';
    settings.exclude.push('y');
    expect(DEFAULT_SETTINGS.rules).toEqual({});
    expect(DEFAULT_SETTINGS.exclude).toEqual([]);
  });
});

describe('package.json contributes what the extension reads and registers', () => {
  const manifest = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../package.json'), 'utf8'));
  const properties: Record<string, Record<string, unknown>> = manifest.contributes.configuration.properties;
  const commands: Array<{ command: string; title: string; category: string }> = manifest.contributes.commands;

  /** The keys the parser reads (every reader goes through it), and what it makes of an empty configuration. */
  function parserReads(): { keys: string[]; defaults: Record<string, unknown> } {
    const keys: string[] = [];
    const { settings } = parseSettings((key) => {
      keys.push(key);
      return undefined;
    });
    return { keys, defaults: { ...settings } };
  }

  it('declares exactly the settings the parser reads, resource-scoped, with the defaults it falls back to', () => {
    const { keys, defaults } = parserReads();
    // Besides the analysis settings, the profile view's own (read where the view is, off by default).
    const viewSettings = [
      `${SETTINGS_SECTION}.${CODE_LENS_SETTING}`,
      `${SETTINGS_SECTION}.${HOT_SHARE_SETTING}`,
      `${SETTINGS_SECTION}.${KEEP_SETTING}`,
    ];
    expect(Object.keys(properties).sort()).toEqual([...keys.map((key) => `${SETTINGS_SECTION}.${key}`), ...viewSettings].sort());
    expect(properties[viewSettings[0]]).toMatchObject({ type: 'boolean', default: false });
    // The hot share in percent; the analysis takes a fraction, and anything unusable is the default.
    expect(properties[viewSettings[1]]).toMatchObject({ type: 'number', default: 5, minimum: 0, maximum: 100 });
    expect([hotShareOf(5), hotShareOf(12.5), hotShareOf(-1), hotShareOf('lots'), hotShareOf(undefined)]).toEqual([
      0.05, 0.125, 0.05, 0.05, 0.05,
    ]);
    // How many recordings .perflens/profiles/ keeps.
    expect(properties[viewSettings[2]]).toMatchObject({ type: 'number', default: 20, minimum: 1 });
    for (const key of keys) {
      const declared = properties[`${SETTINGS_SECTION}.${key}`];
      expect(declared.default, key).toEqual(defaults[key]);
      expect(declared.scope, key).toBe('resource');
    }
    // The typed mirror agrees with what is read.
    expect(defaults).toEqual(DEFAULT_SETTINGS);
  });

  it('offers the values the parser accepts, which are the engine’s', () => {
    expect(RULE_SETTING_VALUES).toEqual(RULE_SETTINGS);
    expect(properties['perflens.run'].enum).toEqual([...RUN_MODES]);
    expect(MIN_SEVERITIES).toEqual(SEVERITIES);
    expect(properties['perflens.minSeverity'].enum).toEqual([...SEVERITIES]);
    expect((properties['perflens.rules'].additionalProperties as { enum: string[] }).enum).toEqual([...RULE_SETTINGS]);
  });

  // That these are exactly the commands activate() registers is checked where it runs (activation.test.ts).
  it('titles every command under the PerfLens category, once each, and hides only contributed ones', () => {
    const ids = commands.map((c) => c.command);
    expect(new Set(ids).size).toBe(ids.length);
    for (const { command, title, category } of commands) {
      expect(command, command).toMatch(new RegExp(`^${SETTINGS_SECTION}\\.[a-z][A-Za-z]+$`));
      expect(category, command).toBe('PerfLens');
      expect(title.trim(), command).not.toBe('');
    }
    for (const entry of manifest.contributes.menus.commandPalette as Array<{ command: string }>) expect(ids).toContain(entry.command);
  });
});
