// Cube configuration: minimal, no pre-aggregations (Phase 1). The API secret comes from
// CUBEJS_API_SECRET in the environment, never from this file.
const { DuckDBDriver } = require('@cubejs-backend/duckdb-driver');

// Cube's DuckDB driver opens its database file read-write, so it gets an in-memory database
// and attaches the marts file READ_ONLY instead.
const prodPath = (process.env.DUCKDB_PROD_PATH || '/cube/02_duck_db/03_prod/prod.duckdb').replace(/'/g, "''");

module.exports = {
  driverFactory: () =>
    new DuckDBDriver({
      initSql: `ATTACH '${prodPath}' AS prod (READ_ONLY)`,
    }),
};
