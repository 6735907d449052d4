/**
 * Keeping the sandbox's data across restarts: one JSON line per record (and per tracked delete and
 * key change) written to a temporary file and renamed over the snapshot, so a crash mid-write
 * leaves the last good one. Written while requests keep flowing: a record changed during the
 * write is saved in whichever state the writer met it.
 */
import { createReadStream, createWriteStream, existsSync, renameSync } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { ConfigError, type ClientRegistry, type RegisteredClient } from './clients.js';
import type { KeyChange, Store, TrackedDelete } from './store.js';
import type { Doc } from './validate.js';

export interface SnapshotMeta {
  readonly dataStandard: string;
  readonly teds: string | undefined;
}

const FORMAT = 'edfi-sandbox-snapshot';

/** Stores by school year; year 0 is the single ODS of a sandbox that is not year-specific. */
export type Stores = ReadonlyMap<number, Store>;

export async function writeSnapshot(file: string, stores: Stores, meta: SnapshotMeta, clients?: ClientRegistry): Promise<void> {
  const tmp = `${file}.tmp`;
  // Owner-only: it holds the clients' secrets the admin endpoints added.
  const out = createWriteStream(tmp, { encoding: 'utf8', mode: 0o600 });
  let buffer = '';
  const flush = async (force: boolean) => {
    if (buffer.length < 1 << 20 && !force) return;
    const ok = out.write(buffer);
    buffer = '';
    if (!ok) await once(out, 'drain');
  };
  buffer += `${JSON.stringify({ format: FORMAT, version: 1, dataStandard: meta.dataStandard, teds: meta.teds ?? null, written: new Date().toISOString() })}\n`;
  // Clients added, replaced or removed through /admin/clients: a district set up against the sandbox keeps its key.
  for (const [key, client] of clients?.changes() ?? []) buffer += `${JSON.stringify(['a', 0, key, client])}\n`;
  for (const [year, store] of stores) {
    buffer += `${JSON.stringify(['s', year, store.changeVersion])}\n`;
    for (const [path, col] of store.collections) {
      buffer += `${JSON.stringify(['c', year, path, col.salt])}\n`;
      // A copy of the row list: inserts during the write do not shift what is being walked.
      for (const rec of [...col.rows]) {
        if (rec === undefined) continue;
        buffer += `${JSON.stringify(['r', year, path, rec.seq, rec.cv, rec.ts, rec.doc])}\n`;
        await flush(false);
      }
      for (const d of col.deletes) buffer += `${JSON.stringify(['d', year, path, d])}\n`;
      for (const k of col.keyChanges.values()) buffer += `${JSON.stringify(['k', year, path, k])}\n`;
      await flush(false);
    }
  }
  await flush(true);
  out.end();
  await once(out, 'close');
  renameSync(tmp, file);
}

/** Loads a snapshot into empty stores; false when there is no file yet. */
export async function readSnapshot(file: string, stores: Stores, meta: SnapshotMeta, clients?: ClientRegistry): Promise<boolean> {
  if (!existsSync(file)) return false;
  const lines = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  let n = 0;
  for await (const line of lines) {
    n++;
    if (line.trim() === '') continue;
    let entry: unknown;
    try {
      entry = JSON.parse(line);
    } catch {
      throw new ConfigError(`The snapshot ${file} is damaged at line ${n}; remove it (the sandbox starts from its seed) or restore a copy`);
    }
    if (n === 1) {
      const head = entry as { format?: unknown; dataStandard?: unknown; teds?: unknown };
      if (head.format !== FORMAT) throw new ConfigError(`${file} is not a sandbox snapshot; point --snapshot at another file`);
      if (head.dataStandard !== meta.dataStandard || (head.teds ?? undefined) !== meta.teds) {
        throw new ConfigError(
          `The snapshot ${file} holds Data Standard ${String(head.dataStandard)} with Texas extension ${typeof head.teds === 'string' ? head.teds : 'none'}; start with the same --data-standard and --texas, or use another snapshot file`,
        );
      }
      continue;
    }
    const [kind, year, path, ...rest] = entry as [string, number, string | number, ...unknown[]];
    if (kind === 'a') {
      clients?.restore(path as string, (rest[0] ?? null) as RegisteredClient | null);
      continue;
    }
    const store = stores.get(year);
    if (store === undefined) continue;
    if (kind === 's') {
      store.changeVersion = Math.max(store.changeVersion, path as number);
      continue;
    }
    const col = store.collection(path as string);
    // A resource the model no longer has is skipped.
    if (col === undefined) continue;
    // The salt and each record's place: ids stay what clients were given.
    if (kind === 'c') col.salt = rest[0] as string;
    else if (kind === 'r') store.restore(col, rest[0] as number, rest[3] as Doc, rest[1] as number, rest[2] as number);
    else if (kind === 'd') col.deletes.push(rest[0] as TrackedDelete);
    else if (kind === 'k') col.keyChanges.set((rest[0] as KeyChange).id, rest[0] as KeyChange);
  }
  for (const store of stores.values()) store.reindex();
  return true;
}
