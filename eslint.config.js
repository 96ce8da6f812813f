// @ts-check
import tseslint from 'typescript-eslint'

/**
 * Lint: typescript-eslint's type-aware rules plus the package boundaries of ARCHITECTURE.md.
 * core is pure (no node:*, no DB, no HTTP, no clock, no randomness); web reaches the server only
 * through HTTP.
 */
const NODE_BUILTINS = ['node:*', 'fs', 'path', 'os', 'child_process', 'crypto', 'http', 'net']
const INFRA = ['kysely', 'pg', '@electric-sql/*', '@duckdb/*', 'fastify', '@fastify/*', 'pino']

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '.vitest-tmp/**', 'test-output/**', 'bench/out/**'] },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['*.ts', '*.js'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/restrict-template-expressions': 'off',
      '@typescript-eslint/no-redundant-type-constituents': 'off',
      '@typescript-eslint/only-throw-error': 'off',
    },
  },
  {
    files: ['packages/core/src/**/*.ts'],
    ignores: ['packages/core/src/**/*.test.ts', 'packages/core/src/**/test-*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: NODE_BUILTINS, message: 'core is pure: no I/O (see ARCHITECTURE.md)' },
            { group: INFRA, message: 'core must not depend on storage or HTTP' },
            { group: ['@fedele/server', '@fedele/web', '**/server/**', '**/web/**'], message: 'core depends on nothing of ours' },
          ],
        },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: 'time is a parameter in core' },
        { selector: "CallExpression[callee.object.name='Math'][callee.property.name='random']", message: 'randomness is a seeded parameter in core' },
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'time is a parameter in core' },
      ],
    },
  },
  {
    files: ['packages/web/src/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@fedele/server', '@fedele/server/*', '**/server/src/**'], message: 'web talks to the server only through HTTP' },
            { group: [...NODE_BUILTINS, ...INFRA], message: 'web runs in the browser' },
          ],
        },
      ],
    },
  },
  {
    // Tests read JSON answers whose shape the assertions check; `any` there is not a hazard.
    files: ['**/test/**/*.ts', '**/*.test.ts', '**/test-browser/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
)
