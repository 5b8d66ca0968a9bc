// Keeps the last good catalog of each database and decides when to read again: on demand, when the
// file and its WAL have been quiet for a while after a change (a writer is busy while they change),
// and, when a read could not be made (a copy torn by a busy writer, a large file in use), with
// backoff. Each read is made on a snapshot (reader.ts): the file itself is never opened. Who holds
// the file is read from the kernel's lock table (holders.ts) after each read, and polled while held.
// No vscode types: the adapter subscribes with onDidChange and maps children() to tree items.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { findLockHolders, type HolderLookup } from './holders';
import { readCatalog, type ReadOptions } from './reader';
import type { CatalogRead, DuckDbCatalog, DuckDbColumn, DuckDbDatabase, DuckDbProblem, DuckDbRelation, DuckDbSchema } from './types';

export interface CatalogServiceOptions {
  /** How long the file and its .wal must stay unchanged before a re-read (default 1500 ms). */
  quietMs?: number;
  /** First retry after a lock (default 1000 ms); doubles up to retryMaxMs. */
  retryInitialMs?: number;
  /** Longest wait between lock retries (default 30000 ms). */
  retryMaxMs?: number;
  /** Stat interval for a file whose folder cannot be watched yet (default 2000 ms). */
  pollMs?: number;
  /** Timeout and copy limit of each catalog read. */
  read?: () => ReadOptions;
  /** Who holds a file (default: the kernel's lock table, without container names). */
  holders?: (file: string) => Promise<HolderLookup>;
  /** While a holder is shown and the files are watched, how often it is looked up again (default 3000 ms). */
  holderPollMs?: number;
}

export interface DatabaseState {
  /** As discovered, with exists and sizeBytes updated by each read. */
  database: DuckDbDatabase;
  /** The last catalog read successfully, kept through later failures. */
  catalog?: DuckDbCatalog;
  /** When that catalog was read (epoch ms). */
  readAt?: number;
  /** True when the catalog is older than the last attempt, which failed (a lock, for instance). */
  stale: boolean;
  /** Why the last read failed; absent after a successful read. */
  problem?: DuckDbProblem;
  /** A read is in progress. */
  reading: boolean;
  /** When a lock retry is scheduled, its delay. */
  retryInMs?: number;
  /** How long the last read held the original file (ms): 0 for snapshot reads. */
  heldMs?: number;
  /** How the last read reached the data, and what it cost. */
  timing?: CatalogRead['timing'];
  /** Processes holding a lock on the file, from the kernel's lock table: information, not a problem. */
  holders?: HolderLookup['holders'];
}

export interface CatalogChange {
  /** The database whose state changed; absent when the list of databases changed. */
  path?: string;
}

export interface Disposable {
  dispose(): void;
}

export type CatalogNode =
  | { kind: 'database'; id: string; databasePath: string; state: DatabaseState }
  | { kind: 'schema'; id: string; databasePath: string; schema: DuckDbSchema }
  | { kind: 'relation'; id: string; databasePath: string; relation: DuckDbRelation }
  | { kind: 'column'; id: string; databasePath: string; relation: DuckDbRelation; column: DuckDbColumn };

interface Entry {
  state: DatabaseState;
  /** A read is running; a second request waits for it and then reads once more. */
  inFlight?: Promise<void>;
  again: boolean;
  /** Size and mtime of the file and its .wal when the catalog was last read. */
  readSignature?: string;
  /** Last signature seen by the poller. */
  polledSignature?: string;
  retryAttempt: number;
  retryTimer?: NodeJS.Timeout;
  quietTimer?: NodeJS.Timeout;
  watcher?: fs.FSWatcher;
  pollTimer?: NodeJS.Timeout;
  /** Schemas by name, so children() of a schema needs no scan. */
  schemasByName?: Map<string, DuckDbSchema>;
  holderTimer?: NodeJS.Timeout;
  holdersCheckedAt?: number;
}

export class DuckDbCatalogService {
  private readonly entries = new Map<string, Entry>();
  private readonly listeners = new Set<(change: CatalogChange) => void>();
  private readonly quietMs: number;
  private readonly retryInitialMs: number;
  private readonly retryMaxMs: number;
  private readonly pollMs: number;
  private readonly readOptions: () => ReadOptions;
  private readonly holders: (file: string) => Promise<HolderLookup>;
  private readonly holderPollMs: number;
  private watching = false;
  private disposed = false;

  constructor(options: CatalogServiceOptions = {}) {
    this.quietMs = options.quietMs ?? 1500;
    this.retryInitialMs = options.retryInitialMs ?? 1000;
    this.retryMaxMs = options.retryMaxMs ?? 30000;
    this.pollMs = options.pollMs ?? 2000;
    this.readOptions = options.read ?? (() => ({}));
    this.holders = options.holders ?? ((file) => findLockHolders(file));
    this.holderPollMs = options.holderPollMs ?? 3000;
  }

  onDidChange(listener: (change: CatalogChange) => void): Disposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** Replaces the databases shown; states (and catalogs) of paths still present are kept. */
  setDatabases(databases: readonly DuckDbDatabase[]): void {
    if (this.disposed) return;
    const keep = new Set(databases.map((d) => d.path));
    for (const [file, entry] of this.entries) {
      if (!keep.has(file)) {
        this.stopEntry(entry);
        this.entries.delete(file);
      }
    }
    for (const database of databases) {
      const entry = this.entries.get(database.path);
      if (entry) entry.state.database = { ...database, exists: entry.state.database.exists, sizeBytes: entry.state.database.sizeBytes };
      else {
        const created: Entry = { state: { database, stale: false, reading: false }, again: false, retryAttempt: 0 };
        this.entries.set(database.path, created);
        if (this.watching) this.startWatching(database.path, created);
      }
    }
    this.emit({});
  }

  get databases(): DuckDbDatabase[] {
    return [...this.entries.values()].map((e) => e.state.database);
  }

  state(databasePath: string): DatabaseState | undefined {
    return this.entries.get(databasePath)?.state;
  }

  /** Reads one database (or all) now; resolves when the read that reflects this request is done. */
  async refresh(databasePath?: string): Promise<void> {
    const files = databasePath === undefined ? [...this.entries.keys()] : [databasePath];
    await Promise.all(files.map((f) => this.read(f)));
  }

  /** Reads a database only if it has never been read: for the first expansion of a tree node. */
  async load(databasePath: string): Promise<DatabaseState | undefined> {
    const entry = this.entries.get(databasePath);
    if (!entry) return undefined;
    if (entry.state.catalog === undefined && entry.state.problem === undefined) await this.read(databasePath);
    else if (entry.inFlight) await entry.inFlight;
    return entry.state;
  }

  /** Re-read on file changes from now on (fs.watch on the folder, stat polling where that fails). */
  watch(): void {
    if (this.watching || this.disposed) return;
    this.watching = true;
    for (const [file, entry] of this.entries) this.startWatching(file, entry);
  }

  unwatch(): void {
    this.watching = false;
    for (const entry of this.entries.values()) this.stopWatching(entry);
  }

  /** Tree children from the cache only: databases, then schemas, relations, columns. */
  children(node?: CatalogNode): CatalogNode[] {
    if (node === undefined) {
      return [...this.entries.entries()].map(([file, e]) => ({ kind: 'database', id: file, databasePath: file, state: e.state }));
    }
    const entry = this.entries.get(node.databasePath);
    const catalog = entry?.state.catalog;
    if (!entry || !catalog) return [];
    switch (node.kind) {
      case 'database':
        return catalog.schemas.map((schema) => ({ kind: 'schema', id: `${node.id}\0${schema.name}`, databasePath: node.databasePath, schema }));
      case 'schema': {
        const schema = this.schemaIndex(entry).get(node.schema.name);
        return (schema?.relations ?? []).map((relation) => ({
          kind: 'relation',
          id: `${node.id}\0${relation.name}`,
          databasePath: node.databasePath,
          relation,
        }));
      }
      case 'relation':
        return node.relation.columns.map((column) => ({
          kind: 'column',
          id: `${node.id}\0${column.name}`,
          databasePath: node.databasePath,
          relation: node.relation,
          column,
        }));
      case 'column':
        return [];
    }
  }

  /** The parent node, for TreeDataProvider.getParent (reveal). */
  parent(node: CatalogNode): CatalogNode | undefined {
    const entry = this.entries.get(node.databasePath);
    if (!entry || node.kind === 'database') return undefined;
    const databaseNode: CatalogNode = { kind: 'database', id: node.databasePath, databasePath: node.databasePath, state: entry.state };
    if (node.kind === 'schema') return databaseNode;
    const schemaName = node.relation.schema;
    const schema = this.schemaIndex(entry).get(schemaName) ?? { name: schemaName, comment: null, relations: [] };
    const schemaNode: CatalogNode = { kind: 'schema', id: `${node.databasePath}\0${schemaName}`, databasePath: node.databasePath, schema };
    if (node.kind === 'relation') return schemaNode;
    return { kind: 'relation', id: `${schemaNode.id}\0${node.relation.name}`, databasePath: node.databasePath, relation: node.relation };
  }

  dispose(): void {
    this.disposed = true;
    this.watching = false;
    for (const entry of this.entries.values()) this.stopEntry(entry);
    this.listeners.clear();
  }

  private schemaIndex(entry: Entry): Map<string, DuckDbSchema> {
    if (!entry.schemasByName) {
      entry.schemasByName = new Map((entry.state.catalog?.schemas ?? []).map((s) => [s.name, s]));
    }
    return entry.schemasByName;
  }

  private emit(change: CatalogChange): void {
    if (this.disposed) return;
    for (const listener of [...this.listeners]) {
      try {
        listener(change);
      } catch {
        // A failing listener must not stop the others or the service.
      }
    }
  }

  private read(file: string): Promise<void> {
    const entry = this.entries.get(file);
    if (!entry || this.disposed) return Promise.resolve();
    if (entry.inFlight) {
      entry.again = true;
      return entry.inFlight;
    }
    const run = async (): Promise<void> => {
      do {
        entry.again = false;
        clearTimeout(entry.retryTimer);
        entry.retryTimer = undefined;
        entry.state.reading = true;
        entry.state.retryInMs = undefined;
        const signature = await fileSignature(file);
        const result = await readCatalog(file, this.readOptions());
        if (this.disposed || this.entries.get(file) !== entry) return;
        await this.apply(file, entry, result, signature);
      } while (entry.again && !this.disposed);
    };
    entry.inFlight = run().finally(() => {
      entry.inFlight = undefined;
    });
    return entry.inFlight;
  }

  private async apply(file: string, entry: Entry, result: CatalogRead, signature: string): Promise<void> {
    const state = entry.state;
    const stat = await fs.promises.stat(file).catch(() => undefined);
    state.database = { ...state.database, exists: stat?.isFile() ?? false, sizeBytes: stat?.isFile() ? stat.size : null };
    state.reading = false;
    state.heldMs = result.timing.heldMs;
    state.timing = result.timing;
    await this.lookUpHolders(file, entry, false);
    if (result.ok) {
      state.catalog = result.catalog;
      state.readAt = Date.now();
      state.stale = false;
      delete state.problem;
      entry.schemasByName = undefined;
      entry.readSignature = signature;
      entry.retryAttempt = 0;
    } else {
      state.problem = result.problem;
      state.stale = state.catalog !== undefined;
      // A read that could not be made now (a lock, a torn copy, a large file in use) is tried again
      // with backoff; other failures wait for a change on disk.
      if (RETRIED.has(result.problem.kind)) this.scheduleRetry(file, entry);
      else entry.readSignature = signature;
    }
    this.emit({ path: file });
  }

  /** Looks the holders up again; emits when they changed (or always, when `emit`). Keeps polling while held and watched. */
  private async lookUpHolders(file: string, entry: Entry, emit: boolean): Promise<void> {
    clearTimeout(entry.holderTimer);
    entry.holderTimer = undefined;
    entry.holdersCheckedAt = Date.now();
    let holders: HolderLookup['holders'] = [];
    try {
      holders = (await this.holders(file)).holders;
    } catch {
      // Naming the holder is a courtesy: a failure leaves it unnamed.
    }
    if (this.disposed || this.entries.get(file) !== entry) return;
    const key = (list: HolderLookup['holders'] | undefined): string => JSON.stringify(list ?? []);
    const changed = key(entry.state.holders) !== key(holders);
    if (holders.length > 0) entry.state.holders = holders;
    else delete entry.state.holders;
    if (holders.length > 0 && this.watching) {
      entry.holderTimer = setTimeout(() => void this.lookUpHolders(file, entry, true), this.holderPollMs);
      entry.holderTimer.unref();
    }
    if (emit && changed) this.emit({ path: file });
  }

  private scheduleRetry(file: string, entry: Entry): void {
    const delay = Math.min(this.retryMaxMs, this.retryInitialMs * 2 ** entry.retryAttempt);
    entry.retryAttempt++;
    entry.state.retryInMs = delay;
    clearTimeout(entry.retryTimer);
    entry.retryTimer = setTimeout(() => void this.read(file), delay);
    entry.retryTimer.unref();
  }

  private startWatching(file: string, entry: Entry): void {
    if (entry.watcher || entry.pollTimer) return;
    if (entry.state.holders) void this.lookUpHolders(file, entry, true);
    // Changes made while nobody watched count as a change now.
    void fileSignature(file).then((signature) => {
      if (entry.readSignature !== undefined && signature !== entry.readSignature) this.changed(file, entry);
    });
    const base = path.basename(file);
    try {
      entry.watcher = fs.watch(path.dirname(file), { persistent: false }, (_event, name) => {
        if (name === null || name === base || name === `${base}.wal`) this.changed(file, entry);
      });
      entry.watcher.on('error', () => {
        // The folder went away: fall back to polling until it is back.
        entry.watcher?.close();
        entry.watcher = undefined;
        if (this.watching) this.startPolling(file, entry);
      });
    } catch {
      this.startPolling(file, entry);
    }
  }

  private startPolling(file: string, entry: Entry): void {
    entry.polledSignature = entry.readSignature;
    entry.pollTimer = setInterval(() => {
      void fileSignature(file).then((signature) => {
        if (entry.polledSignature !== undefined && signature !== entry.polledSignature) this.changed(file, entry);
        entry.polledSignature = signature;
      });
    }, this.pollMs);
    entry.pollTimer.unref();
  }

  /** A change on disk: wait until the file and its WAL stay unchanged for quietMs, then read if they differ. */
  private changed(file: string, entry: Entry): void {
    if (this.disposed) return;
    // A writer that just started is named at once; the catalog waits for the quiet period.
    if (!entry.holderTimer && Date.now() - (entry.holdersCheckedAt ?? 0) > 500) void this.lookUpHolders(file, entry, true);
    clearTimeout(entry.quietTimer);
    entry.quietTimer = setTimeout(() => {
      entry.quietTimer = undefined;
      void fileSignature(file).then((signature) => {
        if (signature !== entry.readSignature && !entry.retryTimer) void this.read(file);
      });
    }, this.quietMs);
    entry.quietTimer.unref();
  }

  private stopWatching(entry: Entry): void {
    entry.watcher?.close();
    entry.watcher = undefined;
    clearInterval(entry.pollTimer);
    entry.pollTimer = undefined;
    clearTimeout(entry.quietTimer);
    entry.quietTimer = undefined;
    clearTimeout(entry.holderTimer);
    entry.holderTimer = undefined;
  }

  private stopEntry(entry: Entry): void {
    this.stopWatching(entry);
    clearTimeout(entry.holderTimer);
    entry.holderTimer = undefined;
    clearTimeout(entry.retryTimer);
    entry.retryTimer = undefined;
  }
}

const RETRIED = new Set<DuckDbProblem['kind']>(['locked', 'busy', 'too-large']);

/** Size and modification time of the file and of its WAL: what a writer changes. */
async function fileSignature(file: string): Promise<string> {
  const part = async (f: string): Promise<string> => {
    try {
      const s = await fs.promises.stat(f);
      return `${s.size}:${s.mtimeMs}`;
    } catch {
      return '-';
    }
  };
  return `${await part(file)}|${await part(`${file}.wal`)}`;
}
