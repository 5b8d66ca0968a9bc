// buildDemoDatabases: the fork's data flow with DuckDB alone, so a fresh fork has real databases
// to show (`npm start`'s demo) and tests can check the marts. Dagster and dbt do this for real.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { compileDbtProject } from './dbtSql';
import { walkWorkspace } from '../workspace/walk';

export const RAW_DATABASE = '02_duck_db/01_raw/raw.duckdb';
export const DEV_DATABASE = '02_duck_db/02_dev/dev.duckdb';
const SOURCE_DATA = '01_source_data';
const DBT_PROJECT = '04_dbt';

export interface BuiltTable {
  database: 'raw' | 'dev';
  schema: string;
  name: string;
  rows: number;
}

export type DemoResult =
  | { ok: true; rawPath: string; devPath: string; tables: BuiltTable[] }
  | { ok: false; message: string };

const sqlString = (s: string): string => `'${s.replace(/'/g, "''")}'`;
const ident = (s: string): string => `"${s.replace(/"/g, '""')}"`;

/**
 * In the fork at dir: loads 01_source_data/*.csv into raw.duckdb (as the Dagster raw assets do),
 * then builds the dbt seeds and models into dev.duckdb in dependency order with the raw database
 * attached read-only (see compileDbtProject: not dbt, a small stand-in). Replaces existing tables.
 */
export async function buildDemoDatabases(dir: string): Promise<DemoResult> {
  const project = compileDbtProject(path.join(dir, DBT_PROJECT));
  if (!project.ok) return { ok: false, message: `dbt project: ${project.problem}` };
  const sourceDir = path.join(dir, SOURCE_DATA);
  const csvFiles = [...walkWorkspace(sourceDir, { maxDepth: 0 })].filter((e) => e.type !== 'other' && e.name.endsWith('.csv')).map((e) => e.name).sort();
  if (csvFiles.length === 0) return { ok: false, message: `no CSV files in ${sourceDir}` };

  const rawPath = path.join(dir, RAW_DATABASE);
  const devPath = path.join(dir, DEV_DATABASE);
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const tables: BuiltTable[] = [];
  const count = async (run: (sql: string) => Promise<number>, database: 'raw' | 'dev', schema: string, name: string) => {
    tables.push({ database, schema, name, rows: await run(`SELECT count(*) FROM ${ident(schema)}.${ident(name)}`) });
  };
  try {
    fs.mkdirSync(path.dirname(rawPath), { recursive: true });
    fs.mkdirSync(path.dirname(devPath), { recursive: true });

    const raw = await DuckDBInstance.create(rawPath);
    try {
      const con = await raw.connect();
      const scalar = async (sql: string) => Number((await con.runAndReadAll(sql)).getRows()[0][0]);
      for (const file of csvFiles) {
        const table = path.basename(file, '.csv');
        await con.run(
          `CREATE OR REPLACE TABLE main.${ident(table)} AS SELECT * FROM read_csv(${sqlString(path.join(sourceDir, file))}, header = true)`,
        );
        await count(scalar, 'raw', 'main', table);
      }
      con.closeSync();
    } finally {
      raw.closeSync();
    }

    const dev = await DuckDBInstance.create(devPath);
    try {
      const con = await dev.connect();
      const scalar = async (sql: string) => Number((await con.runAndReadAll(sql)).getRows()[0][0]);
      await con.run(`ATTACH ${sqlString(rawPath)} AS raw (READ_ONLY)`);
      for (const node of project.nodes) {
        await con.run(`CREATE SCHEMA IF NOT EXISTS ${ident(node.schema)}`);
        const body = node.kind === 'seed' ? `SELECT * FROM read_csv(${sqlString(node.csvPath)}, header = true)` : node.sql;
        await con.run(`CREATE OR REPLACE TABLE ${ident(node.schema)}.${ident(node.name)} AS ${body}`);
        await count(scalar, 'dev', node.schema, node.name);
      }
      await con.run('DETACH raw');
      con.closeSync();
    } finally {
      dev.closeSync();
    }
    return { ok: true, rawPath, devPath, tables };
  } catch (e) {
    return { ok: false, message: e instanceof Error ? e.message : String(e) };
  }
}
