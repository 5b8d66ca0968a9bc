#!/bin/sh
# Prepares Superset's metadata database, the admin user and the read-only DuckDB connection,
# then starts the web server. Every value comes from the environment (.env).
set -eu
superset db upgrade
superset fab create-admin \
  --username "$SUPERSET_ADMIN_USER" \
  --password "$SUPERSET_ADMIN_PASSWORD" \
  --firstname Admin --lastname User \
  --email "$SUPERSET_ADMIN_EMAIL" || true
superset init
superset set-database-uri \
  --database_name "DuckDB marts (read-only)" \
  --uri "$(python -c 'import superset_config as c; print(c.DUCKDB_MARTS_URI)')"
exec /usr/bin/run-server.sh
