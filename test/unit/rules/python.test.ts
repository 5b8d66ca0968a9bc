import { pythonDefaultCredential } from '../../../src/core/rules/python/default-credential';
import { pythonHardcodedPath } from '../../../src/core/rules/python/hardcoded-path';
import { pythonMultiprocessExecutor } from '../../../src/core/rules/python/multiprocess-executor';
import { pythonSupersetDuckdbReadonly } from '../../../src/core/rules/python/superset-duckdb-readonly';
import { runRuleTests } from './tester';

runRuleTests(pythonHardcodedPath, 'python', {
  valid: [
    { code: 'import os\nDB_PATH = os.environ.get("DUCKDB_DEV_PATH", "/app/02_duck_db/02_dev/dev.duckdb")\n' },
    { code: 'from pathlib import Path\nDATA = Path(os.getenv("DATA_DIR", "/app/data"))\n' },
    { code: 'HEALTH_URL = "/health"\nAPPLICATION_ROOT = "/"\n', name: 'routes and names that are not paths' },
    {
      name: 'URL paths under names that end in _PATH or _ROOT (Superset and Flask settings)',
      code: 'LOGO_TARGET_PATH = "/superset/welcome/"\nAPPLICATION_ROOT = "/analytics"\nAPI_URL_PATH = "/api/v1"\nredirect(login_redirect_path="/login/")\n',
    },
    { code: 'def f():\n    """Reads /app/data/x.csv."""\n    # duckdb.connect("/data/x.duckdb")\n    return 1\n', name: 'docstrings and comments' },
    { code: 'p = Path("data/raw")\nq = Path(f"/home/{user}/x")\n', name: 'relative paths and formatted strings' },
    { code: 'DB_PATH = "/app/data/dev.duckdb" + suffix\n', name: 'a literal that is only part of a value' },
  ],
  invalid: [
    {
      code: 'import duckdb\n\nDB_PATH = "/home/user/proto_loc/02_duck_db/dev.duckdb"\n',
      name: "the guide's BAD example",
      errors: [{ messageId: 'hardcodedPath', line: 2, column: 10 }],
      output: 'import os\nimport duckdb\n\nDB_PATH = os.environ.get("DUCKDB_DEV_PATH", "/home/user/proto_loc/02_duck_db/dev.duckdb")\n',
    },
    {
      code: '"""Assets."""\nfrom __future__ import annotations\n\nfrom pathlib import Path\nimport os\n\nDATA_DIR = Path("/app/data")\nRAW_DIR: str = "/app/raw"\n',
      name: 'Path() and an annotated name; import os already there',
      errors: [
        { messageId: 'hardcodedPath', line: 6, column: 16, text: '"/app/data"' },
        { messageId: 'hardcodedPath', line: 7, column: 15, text: '"/app/raw"' },
      ],
      output:
        '"""Assets."""\nfrom __future__ import annotations\n\nfrom pathlib import Path\nimport os\n\nDATA_DIR = Path(os.environ.get("DATA_DIR", "/app/data"))\nRAW_DIR: str = os.environ.get("RAW_DIR", "/app/raw")\n',
    },
    {
      code: '"""Resources."""\nfrom __future__ import annotations\n\ndef conn():\n    return duckdb.connect(database="/data/prod.duckdb", read_only=False)\n',
      name: 'a keyword argument; import os goes after the docstring and __future__',
      errors: [{ messageId: 'hardcodedPath', line: 4, column: 35 }],
      output:
        '"""Resources."""\nfrom __future__ import annotations\n\nimport os\ndef conn():\n    return duckdb.connect(database=os.environ.get("DUCKDB_PROD_PATH", "/data/prod.duckdb"), read_only=False)\n',
    },
    {
      code: "con = duckdb.connect('/warehouse/analytics')\n",
      errors: [{ messageId: 'hardcodedPath', line: 0, column: 21 }],
      output: 'import os\ncon = duckdb.connect(os.environ.get("ANALYTICS_PATH", \'/warehouse/analytics\'))\n',
    },
  ],
});

runRuleTests(pythonDefaultCredential, 'python', {
  valid: [
    { code: 'import os\nPASSWORD = os.environ["DB_PASSWORD"]\nUSER = os.getenv("DB_USER", "dagster")\n' },
    { code: 'TOKEN_URL = "https://example.org/token"\nSECRET = os.getenv("SECRET", "")\n', name: 'a URL named TOKEN_URL, an empty default' },
    { code: 'x = os.getenv("DB_PASSWORD", fallback)\n', name: 'a default that is not a literal' },
  ],
  invalid: [
    {
      code: 'import os\n\nPG_PASSWORD = os.getenv("POSTGRES_PASSWORD", "postgres")\n',
      errors: [{ messageId: 'defaultCredential', line: 2, column: 45, text: '"postgres"' }],
      output: 'import os\n\nPG_PASSWORD = os.environ["POSTGRES_PASSWORD"]\n',
    },
    {
      code: 'from os import environ\nkey = environ.get("CUBEJS_API_SECRET", default="changeme")\n',
      errors: [{ messageId: 'defaultCredential', line: 1, column: 47 }],
      output: 'import os\nfrom os import environ\nkey = os.environ["CUBEJS_API_SECRET"]\n',
    },
    {
      code: 'SECRET_KEY = "thisISaSECRET_1234"\n',
      name: "superset_config.py's SECRET_KEY",
      options: { file: 'superset/superset_config.py' },
      errors: [{ messageId: 'literalCredential', line: 0, column: 13 }],
      output: 'import os\nSECRET_KEY = os.environ["SUPERSET_SECRET_KEY"]\n',
    },
  ],
});

const SUPERSET = { file: 'superset/superset_config.py' };

runRuleTests(pythonSupersetDuckdbReadonly, 'python', {
  valid: [
    { code: 'URI = "duckdb:////app/prod.duckdb?access_mode=read_only"\n', options: SUPERSET },
    { code: 'URI = "duckdb:////app/prod.duckdb?threads=2&ACCESS_MODE=READ_ONLY"\n', options: SUPERSET },
    { code: 'DB = {"sqlalchemy_uri": "duckdb:////app/prod.duckdb", "extra": {"engine_params": {"connect_args": {"read_only": True}}}}\n', options: SUPERSET },
    { code: 'SQLALCHEMY_DATABASE_URI = "duckdb:////app/superset.duckdb"\n', name: "Superset's metadata database", options: SUPERSET },
    { code: 'URI = "duckdb:///:memory:"\n', options: SUPERSET },
    { code: 'URI = "duckdb:////app/prod.duckdb"\n', name: 'not a Superset file', options: { file: 'dagster/resources.py' } },
  ],
  invalid: [
    {
      code: 'URI = "duckdb:////app/02_duck_db/prod.duckdb"\n',
      options: SUPERSET,
      errors: [{ messageId: 'notReadOnly', line: 0, column: 6 }],
      output: 'URI = "duckdb:////app/02_duck_db/prod.duckdb?access_mode=read_only"\n',
    },
    {
      code: 'URI = f"duckdb:///{PROD}?threads=4"\n',
      options: SUPERSET,
      errors: [{ messageId: 'notReadOnly', line: 0, column: 6 }],
      output: 'URI = f"duckdb:///{PROD}?threads=4&access_mode=read_only"\n',
    },
    {
      code: 'URI = "duckdb:////app/prod.duckdb?mode=ro"\n',
      name: "the guide's ?mode=ro",
      options: SUPERSET,
      errors: [{ messageId: 'mistakenParam', line: 0, column: 34, text: 'mode=ro' }],
      output: 'URI = "duckdb:////app/prod.duckdb?access_mode=read_only"\n',
    },
    {
      code: 'URI = "duckdb:////app/prod.duckdb?threads=4&read_only=true"\n',
      options: SUPERSET,
      errors: [{ messageId: 'mistakenParam', line: 0, column: 44, text: 'read_only=true' }],
      output: 'URI = "duckdb:////app/prod.duckdb?threads=4&access_mode=read_only"\n',
    },
  ],
});

runRuleTests(pythonMultiprocessExecutor, 'python', {
  valid: [
    { code: 'from dagster import in_process_executor\ndefs = Definitions(executor=in_process_executor)\n' },
    { code: 'ex = multiprocess_executor.configured({"max_concurrent": 1})\n', name: 'multiprocess limited to one step' },
    { code: '# multiprocess_executor\ns = "multiprocess_executor"\n', name: 'comments and strings' },
    {
      code: 'from dagster import Definitions, in_process_executor\n\ndefs = Definitions(\n    assets=[a],\n    executor=in_process_executor,\n)\n',
      name: 'Definitions with the sequential executor',
    },
    {
      code: 'from dagster import Definitions, define_asset_job, in_process_executor\n\njob = define_asset_job("j", executor_def=in_process_executor)\ndefs = Definitions(jobs=[job])\n',
      name: 'jobs that choose their executor',
    },
  ],
  invalid: [
    {
      code: 'from dagster import Definitions, multiprocess_executor\n\ndefs = Definitions(assets=a, executor=multiprocess_executor)\n',
      errors: [
        { messageId: 'multiprocess', line: 0, column: 33 },
        { messageId: 'multiprocess', line: 2, column: 38 },
      ],
      output: 'from dagster import Definitions, in_process_executor\n\ndefs = Definitions(assets=a, executor=in_process_executor)\n',
    },
    {
      code: 'ex = multiprocess_executor.configured({"max_concurrent": 4})\n',
      errors: [{ messageId: 'maxConcurrent', line: 0, column: 57 }],
      output: 'ex = multiprocess_executor.configured({"max_concurrent": 1})\n',
    },
    {
      code: '"""Defs."""\nfrom dagster import Definitions, load_assets_from_modules\n\ndefs = Definitions(\n    assets=load_assets_from_modules([assets]),\n)\n',
      name: "Definitions on Dagster's default (multiprocess) executor",
      errors: [{ messageId: 'defaultExecutor', line: 3, column: 7 }],
      output:
        '"""Defs."""\nfrom dagster import Definitions, load_assets_from_modules, in_process_executor\n\ndefs = Definitions(\n    executor=in_process_executor,\n    assets=load_assets_from_modules([assets]),\n)\n',
    },
    {
      code: 'import dagster as dg\n\ndefs = dg.Definitions(assets=[a])\n',
      name: 'a one-line call, dagster imported as a module',
      errors: [{ messageId: 'defaultExecutor', line: 2, column: 10 }],
      output: 'from dagster import in_process_executor\nimport dagster as dg\n\ndefs = dg.Definitions(executor=in_process_executor, assets=[a])\n',
    },
  ],
});
