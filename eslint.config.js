// @ts-check
import js from '@eslint/js';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

const nodeBuiltins = [
  'node:*',
  'fs',
  'path',
  'os',
  'http',
  'https',
  'crypto',
  'child_process',
  'net',
  'url',
  'util',
  'stream',
  'events',
];

/** Each folder says which runtime its files may use (see docs/architecture.md). */
const layering = [
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                ...nodeBuiltins,
                'electron',
                'react',
                'react-dom',
                'react/*',
                'kysely',
                'mysql2',
                'libsql',
                'keytar',
                '@ngrok/ngrok',
                'ws',
                'pino',
              ],
              message: 'shared/ is plain TypeScript: no Node, DOM, React or Electron.',
            },
            {
              group: ['**/electron/**', '**/renderer/**'],
              message: 'shared/ must not depend on main or renderer code.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                ...nodeBuiltins,
                'electron',
                'kysely',
                'mysql2',
                'libsql',
                'keytar',
                '@ngrok/ngrok',
                'ws',
                'pino',
              ],
              message: 'The renderer is DOM + React: no Node or Electron.',
            },
            {
              group: ['**/electron/**'],
              message: 'The renderer talks to main only through the contract client.',
            },
          ],
        },
      ],
    },
  },
  {
    files: [
      'electron/main/**/*.ts',
      'migrations/**/*.ts',
      'tests/**/*.ts',
      'bench/**/*.ts',
      'scripts/**/*.ts',
      'e2e/**/*.ts',
    ],
    // Shell tests mock electron and may name its types.
    ignores: ['electron/main/shell/**', 'tests/shell/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'electron',
              message: 'Only electron/main/shell/ and electron/preload/ may import electron.',
            },
          ],
          patterns: [{ group: ['**/renderer/**'], message: 'Main-side code must not import renderer code.' }],
        },
      ],
    },
  },
  {
    files: ['migrations/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'Migrations never import app code or electron.' }],
          patterns: [
            {
              group: ['**/electron/**', '**/shared/**', '**/renderer/**'],
              message: 'Migrations are frozen in time: they never import app code.',
            },
          ],
        },
      ],
    },
  },
];

export default tseslint.config(
  {
    ignores: [
      'out/**',
      'node_modules/**',
      'artifacts/**',
      'test-results/**',
      'playwright-report/**',
      'eslint.config.js',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: true },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/only-throw-error': 'error',
      'no-console': ['error', { allow: ['warn', 'error'] }],
    },
  },
  {
    files: ['**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: { ...reactHooks.configs.recommended.rules },
  },
  {
    files: ['tests/**/*.ts', 'e2e/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts'],
    rules: {
      'no-console': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/require-await': 'off',
    },
  },
  ...layering,
);
