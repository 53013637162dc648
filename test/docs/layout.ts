/**
 * Checks a layout block (the tree drawn in docs/DESIGN.md and README.md) against the files on
 * disk, so that the documents cannot describe a tree that is not there.
 *
 * The block's grammar, one entry a line: a path, then what it is. A path ending in `/` is a
 * folder; an entry indented two spaces deeper than a folder entry is inside it; a line indented
 * deeper still continues the description above it. `<name>` in a path stands for any one name
 * (`rules/<category>/<rule-id>.ts`). `(planned)` in a description marks a path that does not exist
 * yet.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface LayoutEntry {
  /** From the block's root (the repository), `/`-separated; folders end in `/`. */
  path: string;
  planned: boolean;
  /** 1-based, within the block. */
  line: number;
}

/** The lines of the first fenced code block after the `heading` line of a Markdown document. */
export function blockAfterHeading(markdown: string, heading: string): string[] {
  const lines = markdown.split('\n');
  const start = lines.indexOf(heading);
  if (start < 0) throw new Error(`no "${heading}" heading`);
  const open = lines.findIndex((line, index) => index > start && line.startsWith('```'));
  const close = lines.findIndex((line, index) => index > open && line.startsWith('```'));
  if (open < 0 || close < 0) throw new Error(`no code block after "${heading}"`);
  return lines.slice(open + 1, close);
}

/** The entries of a layout block; throws on a line indented under something that is not a folder. */
export function layoutEntries(block: readonly string[]): LayoutEntry[] {
  const entries: LayoutEntry[] = [];
  const folders: Array<{ indent: number; path: string }> = [];
  let lastIndent = 0;
  block.forEach((text, index) => {
    if (text.trim() === '') return;
    const indent = text.length - text.trimStart().length;
    const planned = text.includes('(planned)');
    const last = entries.at(-1);
    if (last && indent > lastIndent + 2) {
      last.planned ||= planned;
      return;
    }
    while (folders.length > 0 && folders[folders.length - 1].indent >= indent) folders.pop();
    const folder = folders.at(-1);
    if (indent > 0 && folder?.indent !== indent - 2) throw new Error(`line ${index + 1} is indented under no folder: ${text.trim()}`);
    const name = text.trimStart().split(/\s+/)[0];
    const entry = { path: `${folder?.path ?? ''}${name}`, planned, line: index + 1 };
    entries.push(entry);
    if (name.endsWith('/')) folders.push({ indent, path: entry.path });
    lastIndent = indent;
  });
  return entries;
}

/** The paths under `root` that `pattern` names (`<name>` matching any one name); folders end in `/`. */
export function pathsMatching(root: string, pattern: string): string[] {
  const wantsFolder = pattern.endsWith('/');
  const segments = pattern.replace(/\/$/, '').split('/');
  let found = [''];
  segments.forEach((segment, index) => {
    const last = index === segments.length - 1;
    const shape = new RegExp(
      `^${segment
        .split(/<[^>]+>/)
        .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
        .join('[^/]+')}$`,
    );
    found = found.flatMap((folder) => {
      const directory = path.join(root, folder);
      if (!fs.existsSync(directory) || !fs.statSync(directory).isDirectory()) return [];
      return fs
        .readdirSync(directory, { withFileTypes: true })
        .filter((entry) => shape.test(entry.name))
        .filter((entry) => (last && !wantsFolder ? entry.isFile() : entry.isDirectory()))
        .map((entry) => `${folder}${entry.name}${entry.isDirectory() ? '/' : ''}`)
        .sort();
    });
  });
  return found;
}

/**
 * What is wrong with a layout block, in words that say what to edit: a path that does not exist,
 * a path marked planned that exists now, a folder or file directly in src/ that the block leaves out.
 */
export function layoutProblems(block: readonly string[], root: string): string[] {
  const entries = layoutEntries(block);
  const problems: string[] = [];
  for (const entry of entries) {
    const exists = pathsMatching(root, entry.path).length > 0;
    if (!entry.planned && !exists) problems.push(`line ${entry.line}: ${entry.path} does not exist (mark it "(planned)" if it is to come)`);
    if (entry.planned && exists) problems.push(`line ${entry.line}: ${entry.path} exists now: drop "(planned)"`);
  }
  const named = new Set(entries.map((entry) => entry.path));
  const inSrc = fs
    .readdirSync(path.join(root, 'src'), { withFileTypes: true })
    .map((entry) => `src/${entry.name}${entry.isDirectory() ? '/' : ''}`);
  for (const name of inSrc.sort()) if (!named.has(name)) problems.push(`${name} is not named`);
  return problems;
}
