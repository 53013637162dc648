// The floor under any syntax-tree linter: read every file and build its TypeScript syntax tree
// with parent pointers, exactly as PerfLens's ProjectHost.parse does, with the same TypeScript
// copy (the bench bundle's), and nothing else. Prints one JSON summary on stdout.
//
//   node bench/drivers/parse.mjs ENGINE_BUNDLE FILE_LIST
import * as fs from 'node:fs';
import { createRequire } from 'node:module';

const [bundle, listFile] = process.argv.slice(2);
if (!bundle || !listFile) {
  console.error('usage: node bench/drivers/parse.mjs ENGINE_BUNDLE FILE_LIST');
  process.exit(2);
}
const { ts, scriptKindOf } = createRequire(import.meta.url)(bundle);
const files = fs.readFileSync(listFile, 'utf8').split('\n').filter(Boolean);

let parseErrors = 0;
let nodes = 0;
for (const file of files) {
  const text = fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  const sourceFile = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, scriptKindOf(file));
  if (sourceFile.parseDiagnostics?.length > 0) parseErrors++;
  nodes += sourceFile.nodeCount ?? 0;
}
process.stdout.write(`${JSON.stringify({ files: files.length, parseErrors, nodes })}\n`);
