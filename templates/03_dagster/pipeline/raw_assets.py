"""Loads the CSV files of 01_source_data into the raw DuckDB database, one table per file."""
import os
from pathlib import Path

import duckdb
from dagster import AssetExecutionContext, AssetsDefinition, MaterializeResult, asset

SOURCE_DATA_DIR = os.environ.get("SOURCE_DATA_DIR", "/app/01_source_data")
DUCKDB_RAW_PATH = os.environ.get("DUCKDB_RAW_PATH", "/app/02_duck_db/01_raw/raw.duckdb")

# The dbt source "raw" (04_dbt/models/staging/sources.yml) reads these tables; the asset keys
# ["raw", <table>] are the ones dagster-dbt gives that source, so lineage connects.
RAW_TABLES = ("customers", "products", "orders")


def load_csv(table: str) -> int:
    """Replaces raw.main.<table> with the file's rows and returns the row count."""
    csv_path = str(Path(SOURCE_DATA_DIR) / f"{table}.csv").replace("'", "''")
    with duckdb.connect(DUCKDB_RAW_PATH) as con:
        con.execute(f"CREATE OR REPLACE TABLE main.{table} AS SELECT * FROM read_csv('{csv_path}', header = true)")
        (rows,) = con.execute(f"SELECT count(*) FROM main.{table}").fetchone()
    return int(rows)


def raw_table_asset(table: str) -> AssetsDefinition:
    @asset(name=table, key_prefix=["raw"], group_name="raw", description=f"01_source_data/{table}.csv in the raw database")
    def load(context: AssetExecutionContext) -> MaterializeResult:
        rows = load_csv(table)
        context.log.info(f"raw.main.{table}: {rows} rows")
        return MaterializeResult(metadata={"rows": rows, "database": DUCKDB_RAW_PATH})

    return load


raw_assets = [raw_table_asset(table) for table in RAW_TABLES]
