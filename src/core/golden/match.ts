// Whether a version written in a file agrees with golden_versions.md: the one place that decides,
// for the rules and for the hover, so they never disagree.
import type { FileKind } from '../workspace/classify';

const NUMERIC = /^v?(\d+(?:\.\d+)*)/;

/** The numeric part a tag starts with: "3.11.9-slim" → "3.11.9", "v1.9.1" → "1.9.1", "latest" → undefined. */
export function tagNumericVersion(tag: string): string | undefined {
  return NUMERIC.exec(tag)?.[1];
}

/**
 * Whether an image tag agrees with a golden version. A more precise tag of the golden version
 * agrees ("3.11.9-slim" and "3.11" with golden 3.11), a different one does not ("3.1", "3.12",
 * and "3.11" with golden 3.11.9). Undefined when either holds no version ("latest", "${TAG}").
 */
export function tagMatchesGolden(tag: string, golden: string): boolean | undefined {
  const version = tagNumericVersion(tag);
  const wanted = tagNumericVersion(golden);
  if (version === undefined || wanted === undefined) return undefined;
  return version === wanted || version.startsWith(`${wanted}.`);
}

/** Whether an exact package version agrees with the golden one ("1.1.4" agrees with "1.1.x"). */
export function pinMatchesGolden(version: string, golden: string): boolean {
  if (/\.[x*]$/i.test(golden)) return version.startsWith(golden.slice(0, -1));
  return version === golden;
}

/** The verdict for a version as written in a file of this kind: image tags for compose and Dockerfiles, pins elsewhere. */
export function versionMatchesGolden(kind: FileKind, version: string, golden: string): boolean | undefined {
  return kind === 'compose' || kind === 'dockerfile' ? tagMatchesGolden(version, golden) : pinMatchesGolden(version, golden);
}
