// The scaffold engine's public API (no `vscode` import): plan a fork, write it all or nothing,
// warn about busy ports, and build the demo DuckDB databases from the sample data.
export {
  OPTIONAL_SERVICES,
  PORT_SERVICES,
  MIN_PORT,
  MAX_PORT,
  isOptionalService,
  isPortService,
  projectNameFromFolder,
  validateProjectName,
  validatePort,
  type OptionalService,
  type PortService,
  type ScaffoldOptions,
  type ResolvedOptions,
} from './options';
export { IGNORED_ENTRIES, planScaffold, unrelatedEntries, type ScaffoldPlan, type PlannedFile } from './plan';
export { writeScaffold, type WriteResult } from './write';
export { checkPortsInUse, isPortInUse } from './ports';
export { buildDemoDatabases, RAW_DATABASE, DEV_DATABASE, type DemoResult, type BuiltTable } from './demoDatabases';
export { compileDbtProject, type DbtNode, type DbtProjectSql } from './dbtSql';
export { defaultTemplatesDir } from './template';
