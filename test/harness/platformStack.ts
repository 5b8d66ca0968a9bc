// The busybox stand-in of the platform (test/fixtures/validate/healthy) as the stack tests run it
// on the one Docker engine of the machine: copied into a folder of the test's own with its raw and
// dev DuckDB files, started under a compose project name and host ports of its own (so runs at once
// never meet), and taken down at the end.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { loadComposeProject } from '../../src/core/compose/project';
import { ComposeRunner, detectComposeCli } from '../../src/core/docker/compose-cli';
import { freePort } from './processes';

/** test/fixtures/validate: the healthy and broken stand-ins of the platform. */
export const PLATFORM_FIXTURES = path.resolve(__dirname, '../../../test/fixtures/validate');

/** Creates (or opens) a database file read-write, runs the SQL, and closes it. */
export async function createDatabase(file: string, sql: string): Promise<void> {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const instance = await DuckDBInstance.create(file);
  const connection = await instance.connect();
  try {
    await connection.run(sql);
  } finally {
    connection.disconnectSync();
    instance.closeSync();
  }
}

/** Copies the healthy stand-in to dir, with the raw and dev databases its services and checks read. */
export async function copyHealthyPlatform(dir: string): Promise<void> {
  fs.cpSync(path.join(PLATFORM_FIXTURES, 'healthy'), dir, { recursive: true });
  await createDatabase(path.join(dir, '02_duck_db/01_raw/raw.duckdb'), 'CREATE TABLE orders AS SELECT range AS id FROM range(5)');
  await createDatabase(
    path.join(dir, '02_duck_db/02_dev/dev.duckdb'),
    'CREATE SCHEMA staging; CREATE SCHEMA marts; CREATE TABLE staging.stg_orders AS SELECT range AS id FROM range(5); CREATE TABLE marts.fct_orders AS SELECT 5 AS orders',
  );
}

/** This process's environment with a compose project name of its own (prefix + pid + random) and a free host port for each of ports. */
export async function stackEnv(prefix: string, ports: readonly string[] = []): Promise<NodeJS.ProcessEnv> {
  const env: NodeJS.ProcessEnv = { ...process.env, COMPOSE_PROJECT_NAME: `${prefix}${process.pid}x${Math.random().toString(36).slice(2, 8)}` };
  for (const name of ports) env[name] = String(await freePort());
  return env;
}

/** `docker compose down -t 1` of the project dir holds under env; fails the test when compose fails. */
export async function composeDown(dir: string, env: NodeJS.ProcessEnv): Promise<void> {
  const detected = await detectComposeCli(env);
  if (!detected.ok) throw new Error(detected.message);
  const result = await new ComposeRunner(detected.cli, await loadComposeProject(dir, { processEnv: env }), env).down({ timeoutSeconds: 1 });
  assert.ok(result.ok, result.ok ? '' : result.reason);
}
