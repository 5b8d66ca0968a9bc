"""Checks a fresh fork before and after `docker compose up -d`.

    python3 scripts/validate_setup.py           # configuration, services and data
    python3 scripts/validate_setup.py --static  # configuration only (no running stack needed)

Exit code 0 when every check passes, 1 otherwise. Secret values are never printed.
"""
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(os.environ.get("PLATFORM_ROOT", Path(__file__).resolve().parent.parent))
PLACEHOLDER_PREFIX = "replace-with-"
DUCKDB_FILES = ("02_duck_db/01_raw/raw.duckdb", "02_duck_db/03_prod/prod.duckdb")


def read_env_file(path: Path) -> dict:
    values = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#") and "=" in line:
            key, value = line.split("=", 1)
            values[key.strip()] = value.strip().strip("'\"")
    return values


def check_env() -> list:
    env_path, example_path = ROOT / ".env", ROOT / ".env.example"
    if not env_path.exists():
        return ["no .env: run `cp .env.example .env` and fill in the secrets"]
    env, example = read_env_file(env_path), read_env_file(example_path)
    problems = [f".env lacks {key} (documented in .env.example)" for key in example if key not in env]
    problems += [f".env: {key} still holds the example placeholder" for key, v in env.items() if v.startswith(PLACEHOLDER_PREFIX)]
    return problems


def run(args: list) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=ROOT, capture_output=True, text=True, check=False)


def check_compose_config() -> list:
    result = run(["docker", "compose", "config", "--quiet"])
    return [] if result.returncode == 0 else [f"docker compose config: {result.stderr.strip()}"]


def check_services() -> list:
    result = run(["docker", "compose", "ps", "--all", "--format", "json"])
    if result.returncode != 0:
        return [f"docker compose ps: {result.stderr.strip()}"]
    text = result.stdout.strip()
    # Compose prints one JSON object per line (newer) or one JSON array (older).
    rows = json.loads(text) if text.startswith("[") else [json.loads(line) for line in text.splitlines() if line]
    if not rows:
        return ["no service is running: `docker compose up -d`"]
    problems = []
    for row in rows:
        state, health = row.get("State", ""), row.get("Health", "")
        if state != "running" or (health and health != "healthy"):
            problems.append(f"service {row.get('Service')}: {state} {health}".strip())
    return problems


def check_duckdb_files() -> list:
    return [f"{name} does not exist yet: run the Dagster job source_to_marts" for name in DUCKDB_FILES if not (ROOT / name).exists()]


def main() -> int:
    checks = [(".env", check_env), ("compose file", check_compose_config)]
    if "--static" not in sys.argv[1:]:
        checks += [("services healthy", check_services), ("DuckDB databases", check_duckdb_files)]
    failed = False
    for name, check in checks:
        problems = check()
        print(f"{'PASS' if not problems else 'FAIL'}  {name}")
        for problem in problems:
            print(f"      - {problem}")
        failed = failed or bool(problems)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
