// The static checks read findings as data: the Superset check takes the read-write DuckDB mounts
// of its own service by the finding's data (the service the rule named), not by the message text.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadComposeProject } from '../../../src/core/compose/project';
import { staticChecks } from '../../../src/core/validate/static';
import { tempDir } from './support';

const COMPOSE = [
  'services:',
  '  superset:',
  '    image: apache/superset:5.0.0',
  '    volumes:',
  '      - ./02_duck_db:/app/duckdb',
  '  cube:',
  '    image: cubejs/cube:v1.1.0',
  '    volumes:',
  '      - ./02_duck_db:/cube/duckdb',
  '',
].join('\n');

suite('validate: static checks read findings as data', () => {
  test('the Superset check fails on its own read-write DuckDB mount only, found by the rule id and the finding data', async () => {
    const dir = tempDir('static');
    try {
      fs.writeFileSync(path.join(dir, 'compose.yaml'), COMPOSE);
      fs.mkdirSync(path.join(dir, '06_superset'));
      fs.writeFileSync(path.join(dir, '06_superset', 'superset_config.py'), 'DATABASE = "duckdb:////app/duckdb/prod.duckdb?access_mode=read_only"\n');
      const project = await loadComposeProject(dir, { processEnv: {} });
      const checks = await staticChecks(dir, project, () => undefined);
      const superset = checks.find((c) => c.id === 'superset-duckdb');
      assert.equal(superset?.status, 'fail');
      assert.equal(superset.service, 'superset');
      assert.deepEqual(superset.evidence.filter((e) => e.includes('compose-bi-readonly-duckdb')), [
        'compose.yaml:5:9 compose-bi-readonly-duckdb: superset mounts the DuckDB files at /app/duckdb read-write; BI tools must only read them (add :ro).',
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
