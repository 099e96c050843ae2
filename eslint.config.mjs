// Lint rules that keep workflows deterministic and promises awaited
// (after temporalio/samples-typescript).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const NODE_BUILTINS = ['fs', 'path', 'crypto', 'os', 'child_process', 'http', 'https', 'net', 'dns', 'tls', 'zlib', 'stream', 'worker_threads', 'cluster', 'process', 'timers'];

/** The imports workflow files may not make; `activities`: the path of activities/ from the files it applies to. */
const workflowImports = (activities) => ({
  'no-restricted-imports': [
    'error',
    {
      paths: [...NODE_BUILTINS, ...NODE_BUILTINS.map((m) => `node:${m}`), 'pg', 'pdfkit', 'express', 'smpp'].map((name) => ({
        name,
        message: 'workflows must stay deterministic: do this in an activity',
      })),
      patterns: [{ group: [activities, `${activities}/*`], allowTypeImports: true, message: 'import activity types only (import type)' }],
    },
  ],
});

export default tseslint.config(
  { ignores: ['node_modules/', '.data/', '.tools/', 'test-results/', 'console/dist/', 'console/**', '**/*.mjs', '**/*.cjs', 'bench/results.json'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-require-imports': 'off',
      'no-empty': ['error', { allowEmptyCatch: true }],
      // Chinese text legitimately carries ideographic spaces; control characters are matched on purpose in input checks
      'no-irregular-whitespace': ['error', { skipStrings: true, skipTemplates: true, skipRegExps: true, skipComments: true }],
      'no-control-regex': 'off',
      'no-misleading-character-class': 'off',
    },
  },
  // workflow code runs in Temporal's deterministic sandbox: no Node built-ins, no I/O libraries, activity types only
  // (workflows/activity-proxies.ts builds the proxies; only it names the activities, type-only)
  { files: ['workflows/*.ts'], rules: workflowImports('../activities') },
  { files: ['workflows/*/**/*.ts'], rules: workflowImports('../../activities') },
);
