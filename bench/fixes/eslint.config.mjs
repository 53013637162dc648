// The crude peers of issue 14's "Done when": ESLint's core `no-await-in-loop` and eslint-plugin-n's
// `no-sync`, nothing else, with their default options, on the files of bench/fixes/corpus.json as they
// were before each fix. scripts/fix-recall.mjs hands this file to ESLint (overrideConfigFile), with
// the materialised tree as the working directory; the repository's own eslint.config.mjs is not read.
import tsParser from '@typescript-eslint/parser';
import nodePlugin from 'eslint-plugin-n';

export const PEER_RULES = ['no-await-in-loop', 'n/no-sync'];

/**
 * typescript-eslint's parser without its parser services. Without a TypeScript program they hold only
 * node maps, and `n/no-sync` (18.x) takes maps without a program for a misconfigured typed setup and
 * throws; with no services it treats the file as it treats JavaScript (by the name of the call).
 */
const syntaxOnlyTsParser = {
  meta: { name: 'typescript-eslint-parser-syntax-only' },
  parseForESLint(code, options) {
    const { services: _services, ...parsed } = tsParser.parseForESLint(code, options);
    return { ...parsed, services: {} };
  },
};

export default [
  // The trees live in a cache directory; nothing in them is ignored but dependencies.
  { ignores: ['**/node_modules/**'] },
  {
    files: ['**/*.{js,mjs,cjs,jsx,ts,tsx,mts,cts}'],
    plugins: { n: nodePlugin },
    // typescript-eslint's parser reads TypeScript and JavaScript alike (JSX too), so one parser serves
    // every file; no type information is asked for (neither rule needs it).
    languageOptions: {
      parser: syntaxOnlyTsParser,
      ecmaVersion: 'latest',
      sourceType: 'module',
      parserOptions: { ecmaFeatures: { jsx: true } },
    },
    // The projects' files carry eslint-disable comments for rules not loaded here: not a problem.
    linterOptions: { reportUnusedDisableDirectives: 'off', noInlineConfig: true },
    rules: { 'no-await-in-loop': 'warn', 'n/no-sync': 'warn' },
  },
  { files: ['**/*.cjs'], languageOptions: { sourceType: 'commonjs' } },
];
