import { cubeApiSecret } from '../../../src/core/rules/cube/api-secret';
import { cubePreAggregations } from '../../../src/core/rules/cube/pre-aggregations';
import { pythonDefaultCredential } from '../../../src/core/rules/python/default-credential';
import { runRuleTests } from './tester';

runRuleTests(cubeApiSecret, 'cube', {
  valid: [
    { code: 'module.exports = {\n  apiSecret: process.env.CUBEJS_API_SECRET,\n};\n' },
    { code: "// apiSecret: 'abc'\nmodule.exports = { schemaPath: 'model' };\n", name: 'a comment' },
    { code: "module.exports = { apiSecret: '' };\n", name: 'an empty value is not a secret' },
    { code: 'config:\n  apiSecret: x\n', name: 'not a JavaScript file', options: { file: 'cube/model/cubes/x.yml' } },
  ],
  invalid: [
    {
      code: "module.exports = {\n  apiSecret: 'changeme',\n  schemaPath: 'model',\n};\n",
      errors: [{ messageId: 'literalSecret', line: 1, column: 13, text: "'changeme'" }],
      output: "module.exports = {\n  apiSecret: process.env.CUBEJS_API_SECRET,\n  schemaPath: 'model',\n};\n",
    },
    {
      code: 'module.exports = {\n  apiSecret: process.env.CUBEJS_API_SECRET || `dev-secret`,\n};\n',
      errors: [{ messageId: 'defaultSecret', line: 1, column: 46, text: '`dev-secret`' }],
      output: 'module.exports = {\n  apiSecret: process.env.CUBEJS_API_SECRET,\n};\n',
    },
  ],
});

runRuleTests(pythonDefaultCredential, 'cube', {
  valid: [{ code: 'import os\nfrom cube import config\n', options: { file: 'cube/cube.py' } }],
  invalid: [
    {
      code: 'import os\napi_secret = os.getenv("CUBEJS_API_SECRET", "secret")\n',
      options: { file: 'cube/cube.py' },
      errors: [{ messageId: 'defaultCredential', line: 1, column: 44 }],
      output: 'import os\napi_secret = os.environ["CUBEJS_API_SECRET"]\n',
    },
  ],
});

const MODEL_YAML = `cubes:
  - name: trips
    sql_table: main_marts.fct_trips
    measures:
      - name: count
        type: count
    pre_aggregations:
      - name: main
        measures: [count]
`;

runRuleTests(cubePreAggregations, 'cube', {
  valid: [
    { code: MODEL_YAML.split('    pre_aggregations')[0], options: { file: 'cube/model/cubes/trips.yml' } },
    { code: 'cubes:\n  - name: t\n    pre_aggregations: []\n', options: { file: 'cube/model/cubes/t.yml' } },
    { code: "cube('Trips', {\n  sql_table: 'fct_trips',\n  preAggregations: {},\n});\n", options: { file: 'cube/model/cubes/trips.js' } },
  ],
  invalid: [
    {
      code: MODEL_YAML,
      options: { file: 'cube/model/cubes/trips.yml' },
      errors: [{ messageId: 'preAggregations', line: 6, column: 4, text: 'pre_aggregations' }],
    },
    {
      code: "cube('Trips', {\n  sql_table: 'fct_trips',\n  preAggregations: {\n    main: { measures: [CUBE.count] },\n  },\n});\n",
      options: { file: 'cube/model/cubes/trips.js' },
      errors: [{ messageId: 'preAggregations', line: 2, column: 2 }],
    },
  ],
});
