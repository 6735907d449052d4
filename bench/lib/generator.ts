/**
 * The plain load generator the publishing benchmarks compare against: keep-alive POSTs of given
 * JSON, resource by resource in dependency order, nothing else (optionally each answer handed to a
 * recorder, as the floor writes them to a catalog).
 */
import { Pool } from 'undici';
import { requestToken } from '../../edfi/client/oauth.js';
import { edfiModel } from '../../edfi/model/index.js';
import { KEY, SECRET, seconds } from './publishStack.js';

async function bearer(url: string): Promise<string> {
  const t = await requestToken({ authUrl: url, key: KEY, secret: SECRET });
  if (!t.ok) throw new Error(t.failure.message);
  return t.grant.accessToken;
}

/** One record the plain generator sent, as a catalog would keep it. */
export interface Sent {
  readonly resource: string;
  readonly doc: string;
  readonly edfiId: string | null;
}

/** Records per catalog write in the floor: the worker's batch size. */
const FLOOR_BATCH = 2000;

/**
 * (1) The same JSON our run sent, POSTed by the plain generator in dependency order into a fresh
 * sandbox. With `record`, every 2,000 answers are handed to it while the sends go on (the floor).
 */
export async function sameJson(
  url: string,
  byResource: ReadonlyMap<string, string[]>,
  opts: { record?: (sent: Sent[]) => Promise<void>; connections?: number } = {},
): Promise<number> {
  const { record, connections = 64 } = opts;
  const token = await bearer(url);
  const order = edfiModel({ dataStandard: '4.0', teds: '2025.2.1' }).dependencyOrder;
  const path = (name: string): string => order.find((p) => p.endsWith(`/${name}`)) ?? `ed-fi/${name}`;
  const resources = [...byResource.keys()].sort((a, b) => order.indexOf(path(a)) - order.indexOf(path(b)));
  const pool = new Pool(url, { connections, pipelining: 1 });
  const writes: Array<Promise<void>> = [];
  let pending: Sent[] = [];
  const flush = (): void => {
    if (record === undefined || pending.length === 0) return;
    writes.push(record(pending));
    pending = [];
  };
  let sent = 0;
  const t0 = performance.now();
  for (const resource of resources) {
    const docs = byResource.get(resource) ?? [];
    let next = 0;
    await Promise.all(
      Array.from({ length: connections }, async () => {
        for (let i = next++; i < docs.length; i = next++) {
          const res = await pool.request({
            method: 'POST',
            path: `/data/v3/${path(resource)}`,
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
            body: docs[i],
          });
          await res.body.dump();
          sent++;
          if (record === undefined) continue;
          const location = res.headers.location;
          pending.push({ resource, doc: docs[i] ?? '', edfiId: typeof location === 'string' ? (location.split('/').pop() ?? null) : null });
          if (pending.length >= FLOOR_BATCH) flush();
        }
      }),
    );
  }
  flush();
  await Promise.all(writes);
  const rate = sent / seconds(t0);
  await pool.close();
  return rate;
}

/** Catalog rows' sent JSON grouped by resource (in row order), keeping the resources `keep` accepts. */
export function docsByResource(
  rows: ReadonlyArray<{ resource: string; sent_json: unknown }>,
  keep: (resource: string) => boolean = () => true,
): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const d of rows) {
    if (!keep(d.resource)) continue;
    let docs = out.get(d.resource);
    if (docs === undefined) out.set(d.resource, (docs = []));
    docs.push(JSON.stringify(d.sent_json));
  }
  return out;
}
