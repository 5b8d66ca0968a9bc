// ESLint (flat config) with typescript-eslint's parser. It holds the architecture's one hard line:
// src/core is plain Node, so nothing under it may load `vscode`, in any form. The folder layering
// of src/core (no folder-level import cycle) is checked by scripts/core-layers.mjs; `npm test`
// runs both through scripts/lint.mjs.
import parser from 'duckstack-eslint-typescript';

const VSCODE_IN_CORE = 'src/core is plain Node (the CLI, CI and tests run it without VS Code): keep `vscode` in the adapters outside src/core.';

export default [
  { ignores: ['out/**', 'dist/**', 'node_modules/**', '.tools/**', 'tools/**', 'test/fixtures/**', 'templates/**', 'demo/**', 'test-output/**'] },
  {
    files: ['src/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    languageOptions: { parser, sourceType: 'module', ecmaVersion: 2022 },
    // Directives for rules this config does not turn on (no-console, say) are not errors here.
    linterOptions: { reportUnusedDisableDirectives: 'off' },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: VSCODE_IN_CORE }] }],
      // no-restricted-imports sees import and export declarations; these are the other ways in.
      'no-restricted-syntax': [
        'error',
        { selector: "ImportExpression[source.value='vscode']", message: VSCODE_IN_CORE },
        { selector: "CallExpression[callee.name='require'][arguments.0.value='vscode']", message: VSCODE_IN_CORE },
        { selector: "TSExternalModuleReference[expression.value='vscode']", message: VSCODE_IN_CORE },
        { selector: "TSImportType[argument.literal.value='vscode']", message: VSCODE_IN_CORE },
      ],
    },
  },
];
