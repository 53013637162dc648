// The ESLint side of the scan suite, run as its own process: ESLint's Node API with a flat
// config given in code (the repository's eslint.config.mjs is not read), typescript-eslint's
// parser for every file, and four syntax-only core rules — the cheapest useful ESLint run a
// team would compare PerfLens with. Prints one JSON summary on stdout.
//
//   node bench/drivers/eslint.mjs FILE_LIST   (one path a line, relative to the working directory)
import * as fs from 'node:fs';
import tsParser from '@typescript-eslint/parser';
import { ESLint } from 'eslint';

const listFile = process.argv[2];
if (!listFile) {
  console.error('usage: node bench/drivers/eslint.mjs FILE_LIST');
  process.exit(2);
}
const files = fs.readFileSync(listFile, 'utf8').split('\n').filter(Boolean);

const RULES = {
  'no-await-in-loop': 'warn',
  'no-unreachable': 'warn',
  'no-constant-condition': 'warn',
  'no-self-compare': 'warn',
};

const eslint = new ESLint({
  cwd: process.cwd(),
  overrideConfigFile: true,
  cache: false,
  overrideConfig: [
    // node_modules is ignored by default; here it is the very code to lint.
    { ignores: ['!**/node_modules/'] },
    {
      files: ['**/*.{js,mjs,cjs,jsx,ts,tsx,mts,cts}'],
      languageOptions: { parser: tsParser, ecmaVersion: 'latest', sourceType: 'module' },
      // Packages carry eslint-disable comments for rules not loaded here: that is not a problem.
      linterOptions: { reportUnusedDisableDirectives: 'off' },
      rules: RULES,
    },
    { files: ['**/*.cjs'], languageOptions: { sourceType: 'commonjs' } },
  ],
});

const results = await eslint.lintFiles(files);
let problems = 0;
let parseErrors = 0;
const parseErrorSamples = [];
// Inline `/* eslint rule: … */` comments naming rules of plugins not loaded here.
let inlineConfigProblems = 0;
for (const result of results) {
  if (result.fatalErrorCount > 0) {
    parseErrors++;
    const fatal = result.messages.find((message) => message.fatal);
    if (parseErrorSamples.length < 10) parseErrorSamples.push(`${result.filePath}:${fatal?.line}: ${fatal?.message}`);
  }
  for (const message of result.messages) {
    if (message.fatal) continue;
    if (message.ruleId !== null && message.ruleId in RULES) {
      problems++;
    } else if (message.ruleId === null && message.message.startsWith('File ignored')) {
      // Not linted at all: the comparison would be void.
      console.error(`ESLint did not lint ${result.filePath}: ${message.message}`);
      process.exit(2);
    } else {
      inlineConfigProblems++;
    }
  }
}
process.stdout.write(
  `${JSON.stringify({ files: results.length, problems, parseErrors, parseErrorSamples, inlineConfigProblems, rules: Object.keys(RULES) })}\n`,
);
