/**
 * The profile the editor shows besides its view: the one last opened in a profile view. Its name
 * and total are in the status bar; its line heat colours the lines of every visible editor it has
 * weight in — a background scaled to the line's self time (HEAT_LEVELS theme colours contributed
 * in package.json, so light, dark and high contrast themes each set their own) and, on hot lines,
 * `12.3 ms (4.1%)` after the text; hovering a weighed line names its function and that function's
 * callers. "PerfLens: Toggle Profile Heat" hides and shows the heat; "PerfLens: Clear Profile"
 * forgets the profile and removes every decoration. With `perflens.profile.codeLens` on (off by
 * default: a lens pushes the code down, which users of VS Code's own profile visualizer object to),
 * each function the profile weighs gets a lens with its self and total time.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { callersOf, subtreeWeights } from '../profileView/callers';
import { hiddenFunctions } from '../profileView/myCode';
import { functionTable } from '../profileView/table';
import { foldTree } from '../profileView/viewTree';
import { CODE_LENS_SETTING } from '../settings';
import type { ViewData } from '../profileView/data';
import type { MeasuredProfile } from '../worker/protocol';
import { formatWeight, formatWeightAndShare } from '../profileView/format';
import { HEAT_LEVELS, lineHeat, type LineHeat, type LineWeight } from '../profileView/lineHeat';

export const CLEAR_PROFILE_COMMAND = 'perflens.clearProfile';
export const TOGGLE_HEAT_COMMAND = 'perflens.toggleProfileHeat';

/** Callers listed in a hover, at most. */
const HOVER_CALLERS = 5;

interface Loaded {
  file: string;
  data: ViewData;
  heat: Map<string, LineHeat[]>;
  /** Each node's weight with its subtree, made on the first hover. */
  subtree?: Float64Array;
  /** The functions with a place in a file, by path: made on the first code lens asked for. */
  functions?: Map<string, PlacedFunction[]>;
}

interface PlacedFunction {
  name: string;
  line: number;
  column: number;
  self: number;
  total: number;
}

export class LoadedProfile implements vscode.Disposable, vscode.CodeLensProvider {
  private loaded: Loaded | undefined;
  private readonly lensesChanged = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.lensesChanged.event;
  private heatShown = true;
  private readonly status = vscode.window.createStatusBarItem('perflens.profile', vscode.StatusBarAlignment.Right, 100);
  private readonly levels = Array.from({ length: HEAT_LEVELS }, (_, index) =>
    vscode.window.createTextEditorDecorationType({
      isWholeLine: true,
      backgroundColor: new vscode.ThemeColor(`perflens.profileHeat${index + 1}`),
      overviewRulerColor: new vscode.ThemeColor(`perflens.profileHeat${index + 1}`),
      overviewRulerLane: vscode.OverviewRulerLane.Right,
    }),
  );
  /** The inline labels: one type, each line's text given with its range. */
  private readonly labels = vscode.window.createTextEditorDecorationType({
    after: { color: new vscode.ThemeColor('editorCodeLens.foreground'), margin: '0 0 0 2em', fontStyle: 'italic' },
  });
  private readonly subscriptions: vscode.Disposable[] = [];

  /** @param onMeasured told of each CPU profile loaded (its functions and lines) and of its going (null), for the analysis */
  constructor(private readonly onMeasured: (profile: MeasuredProfile | null) => void = () => undefined) {
    this.status.name = 'PerfLens Profile';
    this.status.command = TOGGLE_HEAT_COMMAND;
    this.subscriptions.push(
      vscode.window.onDidChangeVisibleTextEditors((editors) => this.decorate(editors)),
      vscode.languages.registerHoverProvider({ scheme: 'file' }, { provideHover: (document, position) => this.hover(document, position) }),
      vscode.languages.registerCodeLensProvider({ scheme: 'file' }, this),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration(`perflens.${CODE_LENS_SETTING}`)) this.lensesChanged.fire();
      }),
    );
  }

  /** A profile view finished reading `file`: it becomes the loaded profile. */
  load(file: string, data: ViewData, lines: readonly LineWeight[]): void {
    const { summary } = data;
    this.loaded = { file, data, heat: lineHeat(lines, summary.total, summary.unit) };
    this.heatShown = true;
    this.showStatus();
    this.decorate(vscode.window.visibleTextEditors);
    this.lensesChanged.fire();
    this.onMeasured(this.measured());
  }

  /**
   * What the analysis weighs findings by: a CPU profile's functions (self and total, as the view's table gives them)
   * and its lines' self time, in ms. Null for a profile of memory or of sample counts: it measures no time.
   */
  measured(): MeasuredProfile | null {
    const loaded = this.loaded;
    if (!loaded || loaded.data.summary.unit !== 'ms') return null;
    loaded.functions ??= functionsByPath(loaded.data);
    const functions: MeasuredProfile['functions'] = [];
    for (const [file, placed] of loaded.functions)
      for (const { name, line, column, self, total } of placed)
        functions.push({ name, path: file, line, column, selfMs: self, totalMs: total });
    const lines = [...loaded.heat.keys()].flatMap((file) =>
      (loaded.heat.get(file) ?? []).map(({ line, self }) => ({ path: file, line, selfMs: self })),
    );
    return { totalMs: loaded.data.summary.total, functions, lines };
  }

  clear(): void {
    const had = this.loaded !== undefined;
    this.loaded = undefined;
    if (had) this.onMeasured(null);
    this.status.hide();
    this.decorate(vscode.window.visibleTextEditors);
    this.lensesChanged.fire();
  }

  toggleHeat(): void {
    if (!this.loaded) {
      void vscode.window.showInformationMessage('PerfLens: no profile is loaded. Open one with "PerfLens: Open Profile…".');
      return;
    }
    this.heatShown = !this.heatShown;
    this.showStatus();
    this.decorate(vscode.window.visibleTextEditors);
    this.lensesChanged.fire();
  }

  dispose(): void {
    for (const disposable of [this.status, ...this.levels, this.labels, ...this.subscriptions, this.lensesChanged]) disposable.dispose();
  }

  /**
   * Above each function of the document the loaded profile weighs: its self and total time, as the table gives them
   * (a recursive function's total counted once). Only when the setting asks for them and the heat is shown.
   */
  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const loaded = this.loaded;
    if (!loaded || !this.heatShown || vscode.workspace.getConfiguration('perflens').get<boolean>(CODE_LENS_SETTING) !== true) return [];
    loaded.functions ??= functionsByPath(loaded.data);
    const { total: profileTotal, unit } = loaded.data.summary;
    return (loaded.functions.get(toSlashes(document.uri.fsPath)) ?? [])
      .filter(({ line }) => line <= document.lineCount)
      .map(({ line, self, total }) => {
        const at = new vscode.Position(line - 1, 0);
        // No command: the lens is a label (the view and the hover are where the details are).
        return new vscode.CodeLens(new vscode.Range(at, at), {
          title: `PerfLens: ${formatWeightAndShare(self, profileTotal, unit)} self · ${formatWeightAndShare(total, profileTotal, unit)} total`,
          command: '',
        });
      });
  }

  private showStatus(): void {
    const loaded = this.loaded;
    if (!loaded) return;
    const { summary } = loaded.data;
    this.status.text = `$(flame) ${path.basename(loaded.file)} · ${formatWeight(summary.total, summary.unit)}`;
    this.status.tooltip = `PerfLens: ${loaded.file} (${summary.format}), line heat ${this.heatShown ? 'shown' : 'hidden'}. Click to ${this.heatShown ? 'hide' : 'show'} it.`;
    this.status.show();
  }

  /**
   * On a weighed line: its self time, the function that ran there and who called that function.
   * Names come from the profile: added as text (escaped), never as markdown.
   */
  hover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const loaded = this.loaded;
    if (!loaded || !this.heatShown) return undefined;
    const line = loaded.heat.get(toSlashes(document.uri.fsPath))?.find((heat) => heat.line === position.line + 1);
    if (!line) return undefined;
    const { data } = loaded;
    const { total, unit } = data.summary;
    const markdown = new vscode.MarkdownString();
    markdown.appendMarkdown('**PerfLens** · ');
    markdown.appendText(`${path.basename(loaded.file)}: ${formatWeightAndShare(line.self, total, unit)} self on this line`);
    if (line.fn >= 0 && line.fn < data.functions.length) {
      loaded.subtree ??= subtreeWeights(data);
      markdown.appendMarkdown('\n\nIn ');
      markdown.appendText(data.functions[line.fn].name);
      const callers = callersOf(data, loaded.subtree, line.fn);
      if (callers.length > 0) {
        markdown.appendMarkdown(', called from:\n');
        for (const caller of callers.slice(0, HOVER_CALLERS)) {
          markdown.appendMarkdown('\n- ');
          markdown.appendText(
            `${caller.fn >= 0 ? data.functions[caller.fn].name : '(the bottom of the stack)'} — ${formatWeightAndShare(caller.weight, total, unit)}`,
          );
        }
        if (callers.length > HOVER_CALLERS) markdown.appendText(`\n\n…and ${callers.length - HOVER_CALLERS} more`);
      }
    }
    return new vscode.Hover(markdown);
  }

  private decorate(editors: readonly vscode.TextEditor[]): void {
    for (const editor of editors) {
      const heat = this.heatShown ? this.loaded?.heat.get(toSlashes(editor.document.uri.fsPath)) : undefined;
      const byLevel: vscode.Range[][] = this.levels.map(() => []);
      const labels: vscode.DecorationOptions[] = [];
      for (const { line, level, label } of heat ?? []) {
        // A profile of an older version of the file may name lines it no longer has.
        if (line > editor.document.lineCount) continue;
        const range = editor.document.lineAt(line - 1).range;
        byLevel[level - 1].push(range);
        if (label) labels.push({ range: new vscode.Range(range.end, range.end), renderOptions: { after: { contentText: label } } });
      }
      this.levels.forEach((type, index) => editor.setDecorations(type, byLevel[index]));
      editor.setDecorations(this.labels, labels);
    }
  }
}

/** Every function with a file and a line, by path, with its self and total weight. */
function functionsByPath(data: ViewData): Map<string, PlacedFunction[]> {
  // The view's own table with nothing of the user's hidden (myCode.ts folds only the `(root)` frame away).
  const table = functionTable(foldTree(data, hiddenFunctions(data.functions, false)));
  const byPath = new Map<string, PlacedFunction[]>();
  for (let row = 0; row < table.size; row++) {
    const fn = data.functions[table.fn[row]];
    if (!fn.path || fn.line <= 0) continue;
    const file = toSlashes(fn.path);
    const entries = byPath.get(file) ?? [];
    entries.push({ name: fn.name, line: fn.line, column: fn.column, self: table.self[row], total: table.total[row] });
    byPath.set(file, entries);
  }
  return byPath;
}

/** The worker gives paths with `/` (profiles/paths.ts); so does this, for the lookup. */
function toSlashes(file: string): string {
  return file.replace(/\\/g, '/');
}
