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
    settings: {} as Record<string, unknown>,
    configurationListeners: [] as Array<(event: { affectsConfiguration(section: string): boolean }) => void>,
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
  /** Keeps what was added, text escaped as VS Code's appendText escapes markdown. */
  class MarkdownString {
    value = '';
    appendMarkdown(text: string) {
      this.value += text;
      return this;
    }
    appendText(text: string) {
      this.value += text.replace(/[\\`*_{}[\]()#+\-.!<>]/g, '\\$&');
      return this;
    }
  }
  class Hover {
    constructor(readonly contents: MarkdownString) {}
  }
  class CodeLens {
    constructor(
      readonly range: Range,
      readonly command: { title: string; command: string },
    ) {}
  }
  class EventEmitter {
    fired = 0;
    readonly event = () => ({ dispose: () => undefined });
    fire() {
      this.fired++;
    }
    dispose() {}
  }
  const vscode = {
    Position,
    Range,
    ThemeColor,
    MarkdownString,
    Hover,
    CodeLens,
    EventEmitter,
    hovers: [] as Array<{ provideHover(document: unknown, position: unknown): Hover | undefined }>,
    lenses: [] as Array<{ provideCodeLenses(document: unknown): CodeLens[] }>,
    languages: {
      registerHoverProvider: (_selector: unknown, provider: { provideHover(document: unknown, position: unknown): Hover | undefined }) => {
        vscode.hovers.push(provider);
        return { dispose: () => undefined };
      },
      registerCodeLensProvider: (_selector: unknown, provider: { provideCodeLenses(document: unknown): CodeLens[] }) => {
        vscode.lenses.push(provider);
        return { dispose: () => undefined };
      },
    },
    workspace: {
      getConfiguration: (section: string) => ({ get: (key: string) => state.settings[`${section}.${key}`] }),
      onDidChangeConfiguration: (listener: (event: { affectsConfiguration(section: string): boolean }) => void) => {
        state.configurationListeners.push(listener);
        return { dispose: () => undefined };
      },
    },
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
import { cpuProfile, functionId, viewData } from '../profileView/helpers';

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

// 1,000 ms: hot (900 ms, called from main 600 and from the <b>*worker*</b> 300), main's own 60, other 40.
const DATA = viewData(
  cpuProfile({
    name: '(root)',
    children: [
      { name: 'main', url: '/app/src/main.ts', ms: 60, children: [{ name: 'hot', url: '/app/src/hot.ts', ms: 600 }] },
      { name: '<b>*worker*</b>', url: '/app/src/worker.ts', children: [{ name: 'hot', url: '/app/src/hot.ts', ms: 300 }] },
      { name: 'other', url: '/app/src/other.ts', ms: 40 },
    ],
  }),
);
const HOT = functionId(DATA, 'hot');
const LINES = [
  { path: '/app/src/hot.ts', line: 6, self: 900, fn: HOT },
  { path: '/app/src/hot.ts', line: 13, self: 40, fn: -1 },
  { path: '/app/src/hot.ts', line: 99, self: 20, fn: HOT },
  { path: '/app/src/other.ts', line: 2, self: 1, fn: functionId(DATA, 'other') },
];

beforeEach(() => {
  fake.state.types.length = 0;
  fake.state.listeners.length = 0;
  fake.state.messages.length = 0;
  fake.state.status = { text: '', tooltip: '', shown: false };
  fake.vscode.hovers.length = 0;
  fake.vscode.lenses.length = 0;
  fake.state.settings = {};
  fake.state.configurationListeners.length = 0;
});

describe('LoadedProfile', () => {
  it('colours the weighed lines of each visible editor by level, labels the hot ones, and names the profile in the status bar', () => {
    const hot = editor('/app/src/hot.ts', 20);
    const other = editor('/app/src/other.ts', 5);
    fake.state.visibleTextEditors = [hot, other];
    const loaded = new LoadedProfile();
    loaded.load('/app/profiles/run.cpuprofile', DATA, LINES);
    // Line 99 is past the end of the file as it is now: not decorated.
    expect(shown(hot)).toEqual({ levels: { 6: 4, 13: 1 }, labels: { 6: '900.0 ms (90.0%)', 13: '40.0 ms (4.0%)' } });
    expect(shown(other)).toEqual({ levels: { 2: 1 }, labels: {} });
    expect(fake.state.status).toMatchObject({ text: '$(flame) run.cpuprofile · 1.00 s', shown: true });
    loaded.dispose();
  });

  it('decorates an editor that becomes visible later', () => {
    fake.state.visibleTextEditors = [];
    const loaded = new LoadedProfile();
    loaded.load('/app/profiles/run.cpuprofile', DATA, LINES);
    const hot = editor('/app/src/hot.ts', 20);
    for (const listener of fake.state.listeners) listener([hot]);
    expect(shown(hot).levels).toEqual({ 6: 4, 13: 1 });
    loaded.dispose();
  });

  it('hides the heat on toggle and shows it again; clearing removes every decoration and the status bar item', () => {
    const hot = editor('/app/src/hot.ts', 20);
    fake.state.visibleTextEditors = [hot];
    const loaded = new LoadedProfile();
    loaded.load('/app/profiles/run.cpuprofile', DATA, LINES);
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

  it('hovers a weighed line with its self time, its function and the callers of that function, names as text', () => {
    const hot = editor('/app/src/hot.ts', 20);
    fake.state.visibleTextEditors = [hot];
    const loaded = new LoadedProfile();
    loaded.load('/app/profiles/run.cpuprofile', DATA, LINES);
    const [provider] = fake.vscode.hovers;
    const hover = (line: number) => provider.provideHover(hot.document, new fake.vscode.Position(line - 1, 0))?.contents.value;
    expect(hover(6)).toBe(
      [
        '**PerfLens** · run\\.cpuprofile: 900\\.0 ms \\(90\\.0%\\) self on this line',
        '',
        'In hot, called from:',
        '',
        '- main — 600\\.0 ms \\(60\\.0%\\)',
        // The HTML and the markdown in the name arrive escaped: shown as typed, never rendered.
        '- \\<b\\>\\*worker\\*\\</b\\> — 300\\.0 ms \\(30\\.0%\\)',
      ].join('\n'),
    );
    // A line with no known function: its time only; a line without weight: no hover.
    expect(hover(13)).toBe('**PerfLens** · run\\.cpuprofile: 40\\.0 ms \\(4\\.0%\\) self on this line');
    expect(hover(7)).toBeUndefined();
    loaded.toggleHeat();
    expect(hover(6)).toBeUndefined();
    loaded.dispose();
  });
  it('offers code lenses only when the setting turns them on: self and total above each weighed function, none while the heat is hidden', () => {
    const hot = editor('/app/src/hot.ts', 20);
    fake.state.visibleTextEditors = [hot];
    const loaded = new LoadedProfile();
    loaded.load('/app/profiles/run.cpuprofile', DATA, LINES);
    const [provider] = fake.vscode.lenses;
    const titles = () => provider.provideCodeLenses(hot.document).map((lens) => `${lens.range.start.line + 1}: ${lens.command.title}`);
    expect(titles()).toEqual([]);
    fake.state.settings['perflens.profile.codeLens'] = true;
    // hot runs 900 ms in all, main 660 ms with what it calls; the fixture's functions sit on line 10 of their files.
    expect(titles()).toEqual(['10: PerfLens: 900.0 ms (90.0%) self · 900.0 ms (90.0%) total']);
    expect(provider.provideCodeLenses(editor('/app/src/main.ts', 20).document).map((lens) => lens.command.title)).toEqual([
      'PerfLens: 60.0 ms (6.0%) self · 660.0 ms (66.0%) total',
    ]);
    // A file shorter than the profile remembers: no lens past its end.
    expect(provider.provideCodeLenses(editor('/app/src/hot.ts', 5).document)).toEqual([]);
    loaded.toggleHeat();
    expect(titles()).toEqual([]);
    loaded.toggleHeat();
    loaded.clear();
    expect(titles()).toEqual([]);
    loaded.dispose();
  });
});
