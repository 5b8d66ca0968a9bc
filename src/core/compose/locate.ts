// Where a service is defined: the compose file and the 0-based line of its key, so reports and
// links open at the service, not at the top of the file.
import { isMap, isScalar, parseDocument } from 'yaml';
import { readRegularFileSync } from '../files';
import { LineIndex } from '../text/positions';

export interface Location {
  file: string;
  /** 0-based. */
  line: number;
}

/** The first of `files` (in compose's order) that defines `service`, at its key's line. */
export function locateService(files: readonly string[], service: string): Location | undefined {
  for (const file of files) {
    const read = readRegularFileSync(file);
    if (!read.ok) continue;
    const doc = parseDocument(read.text, { keepSourceTokens: false, uniqueKeys: false });
    const services = isMap(doc.contents) ? doc.contents.get('services', true) : undefined;
    if (!isMap(services)) continue;
    const pair = services.items.find((p) => isScalar(p.key) && String(p.key.value) === service);
    const start = pair && isScalar(pair.key) ? pair.key.range?.[0] : undefined;
    if (start !== undefined) return { file, line: new LineIndex(read.text).position(start).line };
  }
  return undefined;
}
