// One lint configuration for every workspace: typescript-eslint's type-aware rules on the
// TypeScript sources and tests (each workspace's tsconfig.json gives the types), ESLint's own
// on the plain JavaScript scripts. `npm run lint` runs it per workspace with zero warnings.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

export default defineConfig(
  {
    ignores: ['**/dist/**', '**/node_modules/**', '**/.turbo/**', '**/coverage/**', '**/build/**', 'bench/results/**'],
  },
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },
  js.configs.recommended,
  {
    files: ['**/*.ts'],
    extends: [...tseslint.configs.recommendedTypeChecked, ...tseslint.configs.stylisticTypeChecked],
    languageOptions: {
      parserOptions: {
        // Every .ts file belongs to its workspace's tsconfig.json (vitest.config.ts included).
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // Unused arguments named _x are part of a signature (a Route ignores its request).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // `void promise` is how this code base marks a deliberately unawaited promise.
      '@typescript-eslint/no-floating-promises': ['error', { ignoreVoid: true }],
      // Callbacks that return a promise where void is expected are fine for event handlers
      // that log their own errors; everything else must be awaited or voided.
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false, attributes: false } }],
      // Template literals print numbers and booleans in messages all the time.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true, allowNullish: true }],
      // Interfaces and types are both used, for what each says best.
      '@typescript-eslint/consistent-type-definitions': 'off',
      // Indexed maps read as Record<K, V> here; index signatures are fine in declarations.
      '@typescript-eslint/consistent-indexed-object-style': 'off',
      // `!` after a lookup the code has just established is clearer than a dead branch.
      '@typescript-eslint/no-non-null-assertion': 'off',
      // Drivers implement a Promise-returning contract with async methods on purpose: a throw
      // in them becomes a rejection, which is what every caller of the contract handles.
      '@typescript-eslint/require-await': 'off',
      // `||` on strings and flags is deliberate: an empty value means unset (env vars, flags).
      '@typescript-eslint/prefer-nullish-coalescing': ['error', { ignorePrimitives: { string: true, boolean: true } }],
      // An AbortSignal's reason is whatever abort() was given; passing it on is correct.
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingAny: true, allowThrowingUnknown: true }],
    },
  },
  {
    files: ['**/src/**/*.ts'],
    rules: {
      // prom-client's index loads its Pushgateway (https, so tls and OpenSSL), zlib, cluster
      // and OpenTelemetry into every service; @gpio-fleet/runtime exports the metric types from
      // its core modules (packages/runtime/src/metrics/prom.ts). Its types are fine to import.
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { paths: [{ name: 'prom-client', message: "import Counter, Gauge, Histogram and Registry from '@gpio-fleet/runtime' (prom.ts says why)", allowTypeImports: true }] },
      ],
    },
  },
  {
    files: ['**/test/**/*.ts'],
    rules: {
      // vitest's asymmetric matchers (expect.any, expect.stringContaining) are typed `any`.
      '@typescript-eslint/no-unsafe-assignment': 'off',
    },
  },
  {
    files: ['**/*.mjs', '**/*.js', '**/*.cjs'],
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', URL: 'readonly', Buffer: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', performance: 'readonly', fetch: 'readonly', AbortController: 'readonly', require: 'readonly', module: 'writable', __dirname: 'readonly' },
    },
    rules: {
      'no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
);
