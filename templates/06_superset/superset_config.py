"""Superset configuration: every value from the environment, DuckDB read-only."""
import os

SECRET_KEY = os.environ["SUPERSET_SECRET_KEY"]

POSTGRES_USER = os.environ["POSTGRES_USER"]
POSTGRES_PASSWORD = os.environ["POSTGRES_PASSWORD"]
POSTGRES_HOST = os.environ.get("POSTGRES_HOST", "postgres")
SUPERSET_POSTGRES_DB = os.environ.get("SUPERSET_POSTGRES_DB", "superset")
SQLALCHEMY_DATABASE_URI = (
    f"postgresql+psycopg2://{POSTGRES_USER}:{POSTGRES_PASSWORD}@{POSTGRES_HOST}:5432/{SUPERSET_POSTGRES_DB}"
)

REDIS_HOST = os.environ.get("REDIS_HOST", "redis")
REDIS_URL = f"redis://{REDIS_HOST}:6379"
CACHE_CONFIG = {
    "CACHE_TYPE": "RedisCache",
    "CACHE_DEFAULT_TIMEOUT": 300,
    "CACHE_KEY_PREFIX": "superset_",
    "CACHE_REDIS_URL": f"{REDIS_URL}/0",
}
DATA_CACHE_CONFIG = {**CACHE_CONFIG, "CACHE_KEY_PREFIX": "superset_data_", "CACHE_REDIS_URL": f"{REDIS_URL}/1"}

# The marts database, opened read-only. duckdb_engine hands URL query parameters to
# duckdb.connect(config=...), so access_mode=read_only really opens the file read-only
# (a "?mode=ro" parameter is not a DuckDB setting and fails).
DUCKDB_PROD_PATH = os.environ.get("DUCKDB_PROD_PATH", "/app/02_duck_db/03_prod/prod.duckdb")
DUCKDB_MARTS_URI = f"duckdb:///{DUCKDB_PROD_PATH}?access_mode=read_only"

# Superset must never write to the warehouse.
PREVENT_UNSAFE_DB_CONNECTIONS = True
FEATURE_FLAGS = {"ENABLE_TEMPLATE_PROCESSING": False}
