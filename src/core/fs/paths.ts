// Host paths as users write them on Linux, macOS and Windows: `~` for the home folder, drive
// letters and backslashes (C:\data, C:/data, .\data), UNC shares, file systems that ignore case
// (macOS and Windows by default), and where Docker Desktop puts its engine. Every function takes
// the path module (path.posix or path.win32) or the platform, so each platform's rules are tested
// on any machine.
import * as path from 'node:path';

/** `~`, `~/x` (and `~\x` for win32) under home; anything else unchanged. */
export function expandHome(p: string, home: string, pathModule: path.PlatformPath = path): string {
  if (p === '~') return home;
  if (p.startsWith('~/') || (pathModule.sep === '\\' && p.startsWith('~\\'))) return pathModule.join(home, p.slice(2));
  return p;
}

/** A Windows absolute path: a drive letter with a separator (C:\x, c:/x) or a UNC share (\\server\share, //server/share). */
export function isWindowsAbsolute(p: string): boolean {
  return /^[A-Za-z]:[\\/]/.test(p) || /^(\\\\|\/\/)[^\\/]+[\\/]/.test(p);
}

/** A host path that names one place on one machine: /x, ~, ~/x, ~\x, C:\x, \\server\share. */
export function isAbsoluteHostPath(p: string): boolean {
  return p.startsWith('/') || p === '~' || p.startsWith('~/') || p.startsWith('~\\') || isWindowsAbsolute(p);
}

/**
 * The host folder a bind mount source names, as compose resolves it: `~` under home, relative
 * paths (./data, .\data, data) against the project folder. A Windows absolute path stays itself
 * (normalized) wherever it is read, since it is absolute on the machine that wrote it.
 */
export function resolveHostPath(source: string, baseDir: string, home: string, pathModule: path.PlatformPath = path): string {
  if (isWindowsAbsolute(source)) return path.win32.normalize(source);
  return pathModule.resolve(baseDir, expandHome(source, home, pathModule));
}

/** A path inside a container (always /-separated) mapped through a bind mount onto the host's path. */
export function containerToHostPath(containerPath: string, mount: { source: string; target: string }, pathModule: path.PlatformPath = path): string | undefined {
  const target = mount.target.replace(/\/+$/, '');
  if (containerPath !== target && !containerPath.startsWith(`${target}/`)) return undefined;
  const rest = containerPath.slice(target.length).split('/').filter((s) => s !== '');
  const hostModule = isWindowsAbsolute(mount.source) ? path.win32 : pathModule;
  return rest.length === 0 ? mount.source : hostModule.join(mount.source, ...rest);
}

/** Platforms whose default file system ignores case: APFS on macOS, NTFS on Windows. */
export function caseInsensitive(platform: NodeJS.Platform): boolean {
  return platform === 'darwin' || platform === 'win32';
}

/** A key under which two spellings of one host path are equal on that platform (C:\Data and c:/data on Windows). */
export function hostPathKey(p: string, platform: NodeJS.Platform): string {
  const normalized = platform === 'win32' ? path.win32.normalize(p) : p;
  return caseInsensitive(platform) ? normalized.toLowerCase() : normalized;
}

/**
 * The engine address when neither DOCKER_HOST nor a docker context names one: Docker Desktop's
 * named pipe on Windows; on macOS Docker Desktop's socket in the user's home (current releases no
 * longer link /var/run/docker.sock) when it is there; else the system socket.
 */
export function defaultDockerHost(platform: NodeJS.Platform, home: string, exists: (file: string) => boolean): string {
  if (platform === 'win32') return 'npipe:////./pipe/docker_engine';
  if (platform === 'darwin') {
    const desktop = path.posix.join(home, '.docker', 'run', 'docker.sock');
    if (exists(desktop)) return `unix://${desktop}`;
  }
  return 'unix:///var/run/docker.sock';
}
