import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'examples/**',
      'test/fixtures/**',
      'test/e2e/fixtures/**',
      'scratch/**',
      'bench/.cache/**',
      'coverage/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        Buffer: 'readonly',
        __dirname: 'readonly',
        require: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // The engine is shared by the CLI, the worker and the tests: it must never speak VS Code.
    files: ['src/analyzers/**', 'src/profiles/**', 'src/io/**', 'src/cli/**', 'src/worker.ts', 'src/worker/**', 'src/settings.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'vscode', message: 'The engine must stay vscode-free (DESIGN: rules of the house).' },
            {
              name: 'ts-morph',
              importNames: ['ts'],
              message: "Import ts from src/analyzers/ts.ts: ts-morph's getter costs 15% of re-analysis time.",
            },
            { name: 'typescript', message: "Use ts-morph's bundled TypeScript through src/analyzers/ts.ts (one compiler copy)." },
          ],
        },
      ],
    },
  },
);
