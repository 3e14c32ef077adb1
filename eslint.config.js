// Lint: ESLint's and typescript-eslint's recommended rules; formatting is Prettier's.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'results/', '.cats-stress/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      // A closure may read a variable assigned later (outputs describe metrics the registry learns).
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      // Unused names are errors unless they say they are unused.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
    },
  },
  {
    // The node and the hub meet only in reference/spec/ice (frames, catalogue).
    files: ['reference/ice/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/cats/**'], message: 'ICE never imports the node' }] },
      ],
    },
  },
  {
    files: ['reference/cats/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/ice/**', '!**/spec/ice/**'], message: 'the node never imports ICE' }] },
      ],
    },
  },
  {
    // Module hooks run in Node's loader thread, where Node 22.18+ strips types itself: erasable syntax only.
    files: ['harness/engine/runtime/sync-transform.ts'],
    rules: { '@typescript-eslint/parameter-properties': 'error' },
  },
  {
    // Tests read JSON bodies whose shape is the assertion itself.
    files: ['**/*.test.ts', '**/testing/**/*.ts', 'test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // k6 scripts run in k6's runtime, not Node's.
    files: [
      'scenarios/**/*.js',
      'bench/engine-script.js',
      'bench/engine-script-sync.js',
      'dashboards/testing/observed-run.js',
      'harness/engine/testing/sync-corpus/**/*.js',
    ],
    languageOptions: {
      globals: { __ENV: 'readonly', __VU: 'readonly', __ITER: 'readonly', open: 'readonly', console: 'readonly' },
    },
  },
);
