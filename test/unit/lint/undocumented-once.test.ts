// compose-undocumented-variable reports a variable once per file, at its first use, however many
// services use it.
import { composeUndocumentedVariable } from '../../../src/core/rules/compose/undocumented-variable';
import { composeRuleTests } from './compose-tester';

const services = Array.from({ length: 1000 }, (_, i) => `  s${i}:\n    image: "app:\${APP_TAG}"\n    environment:\n      URL: "http://\${API_HOST}/s${i}"\n`).join('');

composeRuleTests(composeUndocumentedVariable, {
  valid: [],
  invalid: [
    {
      name: 'one variable used by 1,000 services is one finding, at its first use',
      code: `services:\n${services}`,
      errors: [
        { messageId: 'undocumented', line: 2, column: 16, text: '${APP_TAG}' },
        { messageId: 'undocumented', line: 4, column: 19, text: '${API_HOST}' },
      ],
      output: null,
    },
    {
      name: 'a later, earlier-documented use does not hide the first undocumented one; a required form counts as a use',
      code: 'services:\n  a:\n    environment:\n      A: $TOKEN\n      B: ${TOKEN:?set it}\n      C: ${OTHER}\n      D: $TOKEN\n',
      errors: [
        { messageId: 'undocumented', line: 3, column: 9, text: '$TOKEN' },
        { messageId: 'undocumented', line: 5, column: 9, text: '${OTHER}' },
      ],
      output: null,
    },
  ],
});
