"""Definitions: raw loads, then `dbt build` (staging, marts, seeds and tests) as dbt assets.

Runs are executed in one process, one step after another: DuckDB allows a single writer.
"""
import os

from dagster import AssetExecutionContext, AssetSelection, Definitions, define_asset_job, in_process_executor
from dagster_dbt import DbtCliResource, DbtProject, dbt_assets

from .raw_assets import raw_assets

DBT_PROJECT_DIR = os.environ.get("DBT_PROJECT_DIR", "/app/04_dbt")
DBT_PROFILES_DIR = os.environ.get("DBT_PROFILES_DIR", DBT_PROJECT_DIR)
DBT_TARGET = os.environ.get("DBT_TARGET", "dev")

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROFILES_DIR, target=DBT_TARGET)
# Under `dagster dev` this runs `dbt parse`, so the manifest always matches the models.
dbt_project.prepare_if_dev()


@dbt_assets(manifest=dbt_project.manifest_path)
def dbt_models(context: AssetExecutionContext, dbt: DbtCliResource):
    yield from dbt.cli(["build"], context=context).stream()


source_to_marts = define_asset_job("source_to_marts", selection=AssetSelection.all())

defs = Definitions(
    assets=[*raw_assets, dbt_models],
    jobs=[source_to_marts],
    resources={"dbt": DbtCliResource(project_dir=dbt_project, target=DBT_TARGET)},
    executor=in_process_executor,
)
