#!/bin/sh
# Runs once, when the PostgreSQL volume is new: creates Superset's metadata database beside
# Dagster's (POSTGRES_DB). Names come from the environment.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -c "CREATE DATABASE \"${SUPERSET_POSTGRES_DB}\""
