// ESLint flat config. Besides the usual TypeScript rules it enforces the direction of imports
// between layers (see docs/ARCHITECTURE.md): shared imports nothing of ours; renderer, core, ai and
// server import shared only (plus their own folder); only src/main/electron may import 'electron'.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';
import globals from 'globals';

const layer = (files, patterns, message) => ({
  files,
  rules: {
    'no-restricted-imports': ['error', { patterns: [{ group: patterns, message }] }],
  },
});

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'out/**',
      'dist/**',
      'release/**',
      'coverage/**',
      'test-results/**',
      '**/.cache/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'error',
    },
  },
  {
    files: ['src/renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['src/workspace/**'],
    languageOptions: { globals: { ...globals.browser } },
  },
  layer(
    ['src/shared/**'],
    ['**/main/**', '**/renderer/**', '**/server/**', '**/cli/**', '**/preload/**', 'electron', 'node:*'],
    'src/shared is platform-neutral: it imports nothing else of ours and no Node or Electron module.',
  ),
  layer(
    ['src/main/core/**', 'src/main/ai/**'],
    ['**/renderer/**', '**/server/**', '**/cli/**', '**/preload/**', '**/electron/**', 'electron'],
    'core and ai are Node-only services: they import src/shared and each other, never Electron or the UI.',
  ),
  layer(
    ['src/renderer/**'],
    ['**/main/**', '**/server/**', '**/cli/**', 'electron', 'node:*'],
    'The renderer talks to the core only through the API contract in src/shared.',
  ),
  layer(
    ['src/workspace/**'],
    ['**/main/**', '**/renderer/**', '**/server/**', '**/cli/**', '**/preload/**', 'electron', 'node:*'],
    'The coach workspace is a web app on the server’s HTTP API: it imports src/shared only.',
  ),
  layer(
    ['src/server/**'],
    ['**/main/**', '**/renderer/**', '**/cli/**', '**/preload/**', 'electron'],
    'The server shares src/shared only.',
  ),
  layer(
    ['src/preload/**'],
    ['**/main/**', '**/renderer/**', '**/server/**', '**/cli/**'],
    'The preload exposes the contract only.',
  ),
  {
    // CommonJS tool configs (dependency-cruiser's config and its rule generator).
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['src/cli/**', 'bench/**', 'scripts/**', 'bin/**', 'tests/**'],
    rules: { 'no-console': 'off' },
  },
);
