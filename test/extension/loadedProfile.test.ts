/**
 * The loaded profile in the editor (src/views/loadedProfile.ts) against a small fake of the few
 * VS Code APIs it uses: which lines of which visible editor get which heat level and label, and
 * that toggling hides them and clearing removes them with the status bar item.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';

/** What the fake recorded: per editor, per decoration type, the last ranges (and labels) set. */
const fake = vi.hoisted(() => {
  type Listener = (editors: unknown[]) => void;
  const state = {
    types: [] as Array<{ id: number; options: Record<string, unknown> }>,
    status: { text: '', tooltip: '', shown: false },
    visibleTextEditors: [] as unknown[],
    listeners: [] as Listener[],
    messages: [] as string[],
  };
  class Position {
    constructor(
      readonly line: number,
      readonly character: number,
    ) {}
  }
  class Range {
    constructor(
      readonly start: Position,
      readonly end: Position,
    ) {}
  }
  class ThemeColor {
    constructor(readonly id: string) {}
  }
  const vscode = {
    Position,
    Range,
    ThemeColor,
    StatusBarAlignment: { Left: 1, Right: 2 },
    OverviewRulerLane: { Right: 4 },
    window: {
      get visibleTextEditors() {
        return state.visibleTextEditors;
      },
      onDidChangeVisibleTextEditors: (listener: Listener) => {
        state.listeners.push(listener);
        return { dispose: () => undefined };
      },
      createStatusBarItem: () => ({
        name: '',
        command: '',
        set text(value: string) {
          state.status.text = value;
        },
        set tooltip(value: string) {
          state.status.tooltip = value;
        },
        show: () => (state.status.shown = true),
        hide: () => (state.status.shown = false),
        dispose: () => undefined,
      }),
      createTextEditorDecorationType: (options: Record<string, unknown>) => {
        const type = { id: state.types.length, options, dispose: () => undefined };
        state.types.push(type);
        return type;
      },
      showInformationMessage: (message: string) => {
        state.messages.push(message);
        return Promise.resolve(undefined);
      },
    },
  };
  return { state, vscode };
});

vi.mock('vscode', () => fake.vscode);

import { LoadedProfile } from '../../src/views/loadedProfile';

/** An editor of `file` with `lines` lines, recording what is decorated, as `line: level` and `line: label`. */
function editor(file: string, lines: number) {
  const decorated = new Map<number, unknown[]>();
  return {
    decorated,
    document: {
      uri: { fsPath: file },
      lineCount: lines,
      lineAt: (line: number) => ({
        range: new fake.vscode.Range(new fake.vscode.Position(line, 0), new fake.vscode.Position(line, 40)),
      }),
    },
    setDecorations: (type: { id: number }, ranges: unknown[]) => decorated.set(type.id, ranges),
  };
}

type FakeEditor = ReturnType<typeof editor>;

/** The heat as shown: `line → level` from the level types (1…4), labels from the label type. */
function shown(target: FakeEditor): { levels: Record<number, number>; labels: Record<number, string> } {
  const levels: Record<number, number> = {};
  const labels: Record<number, string> = {};
  for (const type of fake.state.types) {
    const ranges = (target.decorated.get(type.id) ?? []) as Array<
      { start: { line: number } } | { range: { start: { line: number } }; renderOptions: { after: { contentText: string } } }
    >;
    const color = (type.options.backgroundColor as { id: string } | undefined)?.id;
    for (const entry of ranges) {
      if ('renderOptions' in entry) labels[entry.range.start.line + 1] = entry.renderOptions.after.contentText;
      else if (color) levels[entry.start.line + 1] = Number(color.slice(-1));
    }
  }
  return { levels, labels };
}

const SUMMARY = { format: 'cpuprofile' as const, unit: 'ms' as const, total: 1000, samples: 1000, notes: [] };
const LINES = [
  { path: '/app/src/hot.ts', line: 6, self: 900 },
  { path: '/app/src/hot.ts', line: 13, self: 40 },
  { path: '/app/src/hot.ts', line: 99, self: 20 },
  { path: '/app/src/other.ts', line: 2, self: 1 },
];

beforeEach(() => {
  fake.state.types.length = 0;
  fake.state.listeners.length = 0;
  fake.state.messages.length = 0;
  fake.state.status = { text: '', tooltip: '', shown: false };
});

describe('LoadedProfile', () => {
  it('colours the weighed lines of each visible editor by level, labels the hot ones, and names the profile in the status bar', () => {
    const hot = editor('/app/src/hot.ts', 20);
    const other = editor('/app/src/other.ts', 5);
    fake.state.visibleTextEditors = [hot, other];
    const loaded = new LoadedProfile();
    loaded.load('/app/profiles/run.cpuprofile', SUMMARY, LINES);
    // Line 99 is past the end of the file as it is now: not decorated.
    expect(shown(hot)).toEqual({ levels: { 6: 4, 13: 1 }, labels: { 6: '900.0 ms (90.0%)', 13: '40.0 ms (4.0%)' } });
    expect(shown(other)).toEqual({ levels: { 2: 1 }, labels: {} });
    expect(fake.state.status).toMatchObject({ text: '$(flame) run.cpuprofile · 1.00 s', shown: true });
    loaded.dispose();
  });

  it('decorates an editor that becomes visible later', () => {
    fake.state.visibleTextEditors = [];
    const loaded = new LoadedProfile();
    loaded.load('/app/profiles/run.cpuprofile', SUMMARY, LINES);
    const hot = editor('/app/src/hot.ts', 20);
    for (const listener of fake.state.listeners) listener([hot]);
    expect(shown(hot).levels).toEqual({ 6: 4, 13: 1 });
    loaded.dispose();
  });

  it('hides the heat on toggle and shows it again; clearing removes every decoration and the status bar item', () => {
    const hot = editor('/app/src/hot.ts', 20);
    fake.state.visibleTextEditors = [hot];
    const loaded = new LoadedProfile();
    loaded.load('/app/profiles/run.cpuprofile', SUMMARY, LINES);
    loaded.toggleHeat();
    expect(shown(hot)).toEqual({ levels: {}, labels: {} });
    expect(fake.state.status.tooltip).toMatch(/line heat hidden/);
    loaded.toggleHeat();
    expect(shown(hot).levels).toEqual({ 6: 4, 13: 1 });
    loaded.clear();
    expect(shown(hot)).toEqual({ levels: {}, labels: {} });
    expect(fake.state.status.shown).toBe(false);
    // Nothing loaded: toggling says how to load one instead of doing nothing silently.
    loaded.toggleHeat();
    expect(fake.state.messages).toEqual(['PerfLens: no profile is loaded. Open one with "PerfLens: Open Profile…".']);
    loaded.dispose();
  });
});
