/**
 * The catalog's published JSON written out as lightbeam's input — one `{resource}.jsonl` per
 * resource, one document a line — read with a cursor, so a million records never sit in memory.
 */
import { createReadStream, createWriteStream, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { once } from 'node:events';
import path from 'node:path';
import pg from 'pg';
import Cursor from 'pg-cursor';

const ROWS = 5_000;

/** Writes every published record of the profile into `dir` (emptied first); answers how many. */
export async function exportJsonl(databaseUrl: string, profileId: string, dir: string): Promise<number> {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  let written = 0;
  try {
    const resources = await client.query<{ resource: string }>(
      "SELECT DISTINCT resource FROM catalog WHERE profile_id = $1 AND status = 'published' AND sent_json IS NOT NULL",
      [profileId],
    );
    for (const { resource } of resources.rows) {
      const out = createWriteStream(path.join(dir, `${resource}.jsonl`));
      const cursor = client.query(
        new Cursor<{ line: string }>(
          "SELECT sent_json::text AS line FROM catalog WHERE profile_id = $1 AND resource = $2 AND status = 'published' AND sent_json IS NOT NULL",
          [profileId, resource],
        ),
      );
      for (let rows = await cursor.read(ROWS); rows.length > 0; rows = await cursor.read(ROWS)) {
        if (!out.write(`${rows.map((r) => r.line).join('\n')}\n`)) await once(out, 'drain');
        written += rows.length;
      }
      await cursor.close();
      out.end();
      await once(out, 'finish');
    }
  } finally {
    await client.end();
  }
  return written;
}

/** Lines of each `{resource}.jsonl` in `after` that are not in the same file in `before`, by resource. */
export async function changedLines(before: string, after: string): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const file of readdirSync(after).filter((f) => f.endsWith('.jsonl'))) {
    const seen = new Set<string>();
    if (existsSync(path.join(before, file))) for await (const line of lines(path.join(before, file))) seen.add(line);
    let n = 0;
    for await (const line of lines(path.join(after, file))) if (!seen.has(line)) n++;
    if (n > 0) out.set(file.replace(/\.jsonl$/, ''), n);
  }
  return out;
}

function lines(file: string): AsyncIterable<string> {
  return createInterface({ input: createReadStream(file), crlfDelay: Infinity });
}
