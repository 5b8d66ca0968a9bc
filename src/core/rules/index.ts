// The rule registry: every rule the engine runs, one line each.
import { goldenVersionsUnreadableRow } from './golden/unreadable-row';
import type { Rule } from '../lint/types';
import { composeAbsoluteBind } from './compose/absolute-bind';
import { composeAnonymousVolume } from './compose/anonymous-volume';
import { composeBiReadonlyDuckdb } from './compose/bi-readonly-duckdb';
import { composeDependsOnCondition } from './compose/depends-on-condition';
import { composeDuplicateHostPort } from './compose/duplicate-host-port';
import { composeEnvMissing } from './compose/env-missing';
import { composeHardcodedCredential } from './compose/hardcoded-credential';
import { composeHealthcheck } from './compose/healthcheck';
import { composeHostPortVariable } from './compose/host-port-variable';
import { composeImageGolden } from './compose/image-golden';
import { composeImageTag } from './compose/image-tag';
import { composeObsoleteVersion } from './compose/obsolete-version';
import { composeUndocumentedVariable } from './compose/undocumented-variable';
import { cubeApiSecret } from './cube/api-secret';
import { cubePreAggregations } from './cube/pre-aggregations';
import { dagsterYamlEnvValues } from './dagster/env-values';
import { dagsterYamlSequentialRuns } from './dagster/sequential-runs';
import { dbtNoIncremental } from './dbt/no-incremental';
import { dbtProfilesEnvVar } from './dbt/profiles-env-var';
import { dbtProfilesTargets } from './dbt/profiles-targets';
import { dbtProjectVarPath } from './dbt/project-var-path';
import { dockerfileBiDuckdbReadonly } from './dockerfile/bi-duckdb-readonly';
import { dockerfileFromTag } from './dockerfile/from-tag';
import { docsFollowChanges } from './git/docs-follow-changes';
import { goldenVersionsDowngrade } from './git/golden-versions-downgrade';
import { dockerfilePythonVersion } from './dockerfile/python-version';
import { pythonDefaultCredential } from './python/default-credential';
import { pythonHardcodedPath } from './python/hardcoded-path';
import { pythonMultiprocessExecutor } from './python/multiprocess-executor';
import { pythonSupersetDuckdbReadonly } from './python/superset-duckdb-readonly';
import { packageJsonGoldenPin } from './python-deps/package-json-golden-pin';
import { pyprojectGoldenPin } from './python-deps/pyproject-golden-pin';
import { requirementsGoldenPin } from './python-deps/requirements-golden-pin';

export const allRules: Rule[] = [
  goldenVersionsUnreadableRow,
  composeHostPortVariable,
  composeDuplicateHostPort,
  composeDependsOnCondition,
  composeHealthcheck,
  composeAnonymousVolume,
  composeAbsoluteBind,
  composeHardcodedCredential,
  composeImageTag,
  composeImageGolden,
  composeBiReadonlyDuckdb,
  composeUndocumentedVariable,
  composeEnvMissing,
  composeObsoleteVersion,
  dockerfileFromTag,
  dockerfilePythonVersion,
  dockerfileBiDuckdbReadonly,
  requirementsGoldenPin,
  pyprojectGoldenPin,
  packageJsonGoldenPin,
  pythonHardcodedPath,
  pythonDefaultCredential,
  pythonSupersetDuckdbReadonly,
  pythonMultiprocessExecutor,
  dbtProfilesEnvVar,
  dbtProfilesTargets,
  dbtNoIncremental,
  dbtProjectVarPath,
  dagsterYamlEnvValues,
  dagsterYamlSequentialRuns,
  cubeApiSecret,
  cubePreAggregations,
  goldenVersionsDowngrade,
  docsFollowChanges,
];
