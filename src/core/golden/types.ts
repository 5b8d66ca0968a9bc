// What golden_versions.md says, as the golden-version parser returns it and rules read it.

/** One golden_versions.md row, as rules see it. */
export interface GoldenEntry {
  /** Tool as written in the table, cleaned of markdown: "Dagster". */
  tool: string;
  /** Package or image names that identify it, lower-case: ["dagster", "dagster-webserver"]. */
  names: string[];
  /** The version without a "v" prefix: "1.9.1". */
  version: string;
  /** Where the row is, for hovers and diagnostics. */
  file: string;
  line: number; // 0-based
}

export interface GoldenVersions {
  file: string | undefined;
  entries: GoldenEntry[];
  /** Finds the entry for a package or image name (case-insensitive, "python:3.11-slim" → python). */
  lookup(name: string): GoldenEntry | undefined;
}
