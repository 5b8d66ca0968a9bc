"""Dagster code location of the platform: raw loads and the dbt project."""
