// The large real codebase the scan suite reads: the JavaScript and TypeScript sources installed
// in the project's own node_modules — offline, the same on every machine that ran `npm ci`.
import * as fs from 'node:fs';
import * as path from 'node:path';

const EXTENSIONS = new Set(['.js', '.mjs', '.cjs', '.ts', '.tsx', '.mts', '.cts']);
const DECLARATIONS = /\.d\.[cm]?ts$/;
const MINIFIED = /\.min\.js$/;

/**
 * Every analysable source file under `root`/node_modules, as sorted paths relative to `root`
 * (`/` separators). Declaration files and minified bundles are left out (neither tool is meant
 * for them), and so is every file over `maxBytes` — PerfLens skips those as generated, and
 * comparing a skip with ESLint's parse would not be fair to ESLint.
 * @param {string} root
 * @param {number} maxBytes
 * @returns {{ files: string[], bytes: number, lines: number, byExtension: Record<string, number> }}
 */
export function nodeModulesCorpus(root, maxBytes) {
  const files = [];
  let bytes = 0;
  let lines = 0;
  const byExtension = {};
  const walk = (directory) => {
    const entries = fs.readdirSync(directory, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const absolute = path.join(directory, entry.name);
      // Symbolic links (node_modules/.bin, workspace links) are not followed: they point at files
      // already listed, or outside the tree.
      if (entry.isDirectory()) {
        walk(absolute);
        continue;
      }
      if (!entry.isFile()) continue;
      const extension = path.extname(entry.name);
      if (!EXTENSIONS.has(extension) || DECLARATIONS.test(entry.name) || MINIFIED.test(entry.name)) continue;
      const size = fs.statSync(absolute).size;
      if (size > maxBytes) continue;
      // Reading every file once here also warms the page cache, so neither tool pays for a cold disk.
      const text = fs.readFileSync(absolute, 'utf8');
      files.push(path.relative(root, absolute).split(path.sep).join('/'));
      bytes += size;
      lines += countLines(text);
      byExtension[extension] = (byExtension[extension] ?? 0) + 1;
    }
  };
  walk(path.join(root, 'node_modules'));
  return { files, bytes, lines, byExtension };
}

function countLines(text) {
  let count = 1;
  for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1)) count++;
  return count;
}
