import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import jsxA11y from 'eslint-plugin-jsx-a11y';

export default tseslint.config(
  {
    ignores: [
      'build/**',
      'public/build/**',
      '.data/**',
      'test-results/**',
      'playwright-report/**',
      'node_modules/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.tsx'],
    plugins: { 'react-hooks': reactHooks, 'jsx-a11y': jsxA11y },
    rules: {
      ...reactHooks.configs.recommended.rules,
      ...jsxA11y.flatConfigs.strict.rules,
    },
    languageOptions: { parserOptions: { ecmaFeatures: { jsx: true } } },
  },
  {
    rules: {
      // Japanese text uses the ideographic space (U+3000) in names and addresses.
      'no-irregular-whitespace': ['error', { skipStrings: true, skipTemplates: true }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  {
    // Migrations are frozen in time and typed against Kysely<any> on purpose.
    files: ['db/migrations/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // Domains send jobs only with enqueue/enqueueMany (jobs/enqueue.ts): the payload
    // is checked against its queue's schema and sent in the caller's transaction. Proved active
    // by jobs/enqueue-guard.test.ts.
    files: ['app/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector:
            'CallExpression[callee.property.name=/^(send|sendAfter|sendThrottled|sendDebounced|insert)$/][callee.object.name=/boss$/i]',
          message: 'Send jobs with enqueue/enqueueMany from jobs/enqueue.ts.',
        },
        {
          selector:
            'CallExpression[callee.property.name=/^(send|sendAfter|sendThrottled|sendDebounced|insert)$/][callee.object.property.name=/boss$/i]',
          message: 'Send jobs with enqueue/enqueueMany from jobs/enqueue.ts.',
        },
        {
          selector:
            "ImportDeclaration[source.value='pg-boss'][importKind!='type'] > ImportSpecifier[importKind!='type'][imported.name=/^from/]",
          message: 'Only jobs/enqueue.ts binds pg-boss to a transaction.',
        },
      ],
    },
  },
  {
    // Routes coordinate: they never reach for the database handle themselves.
    files: ['app/routes/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/db/*', 'kysely', 'postgres'],
              message: 'Routes call services; services take the db from context.',
            },
            {
              // docs/decisions/0034: the entry commits with the change it records.
              group: ['**/audit/*.server*'],
              importNames: ['recordAudit', 'recordAuditGrouped'],
              message:
                'Routes do not write audit entries: the service that makes the change records it in its transaction.',
            },
          ],
        },
      ],
    },
  },
);
