// Host paths as users write them on Linux, macOS and Windows: `~` for the home folder, drive
// letters, backslashes. Every function takes the path module (path.posix or path.win32) so the
// same code is tested for each platform on any machine.
import * as path from 'node:path';

/** `~`, `~/x` (and `~\x` for win32) under home; anything else unchanged. */
export function expandHome(p: string, home: string, pathModule: path.PlatformPath = path): string {
  if (p === '~') return home;
  if (p.startsWith('~/') || (pathModule.sep === '\\' && p.startsWith('~\\'))) return pathModule.join(home, p.slice(2));
  return p;
}
