/** Test helpers for the publishing engine over HTTP: queue a category, wait for it, read the catalog. */
import type { InjectOptions, LightMyRequestResponse } from 'fastify';

type Call = (opts: InjectOptions | string) => Promise<LightMyRequestResponse>;

export interface FinishedRun {
  ticket: number;
  workflowId: string;
  category: string;
  outcome: 'completed' | 'failed';
  detail?: string;
  /** When it finished (ISO). */
  finishedAt: string;
}

type PublishBody = { category: string; option?: string; schoolYear: number; scope?: { kind: 'district' } | { kind: 'school'; schoolId: string } };

/** Queues a category publish as a clerk does; its ticket in the profile's queue. */
export async function queuePublish(call: Call, profileId: string, body: PublishBody): Promise<number> {
  const queued = await call({ method: 'POST', url: `/api/profiles/${profileId}/publish`, payload: body });
  if (queued.statusCode !== 202) throw new Error(`publish was refused: ${queued.body}`);
  return queued.json<{ ticket: number }>().ticket;
}

/** Waits until the queue reports every ticket finished, looking every `pollMs`; their runs in the tickets' order. */
export async function untilFinished(
  call: Call,
  profileId: string,
  tickets: readonly number[],
  timeoutMs: number,
  pollMs: number,
  what = `tickets ${tickets.join(', ')}`,
): Promise<FinishedRun[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const queue = (await call(`/api/profiles/${profileId}/publish-queue`)).json<{ recent: FinishedRun[] }>();
    const done = tickets.map((t) => queue.recent.find((r) => r.ticket === t));
    if (done.every((d) => d !== undefined)) return done;
    if (Date.now() > deadline) throw new Error(`${what} did not finish within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

/** Queues a category publish and waits until the queue reports it finished, looking every `pollMs`. */
export async function publishAndWait(call: Call, profileId: string, body: PublishBody, timeoutMs = 120_000, pollMs = 200): Promise<FinishedRun> {
  const ticket = await queuePublish(call, profileId, body);
  // Only the wait's own timeout names the category; a refused or failed poll keeps its own error.
  const [done] = await untilFinished(call, profileId, [ticket], timeoutMs, pollMs, body.category);
  return done;
}

export interface RecordRow {
  sourceKey: string;
  schoolId: string | null;
  naturalKey: Record<string, unknown>;
  status: string;
  statusDescription: string | null;
  edfiId: string | null;
}

/** Every catalog record of one entity (all statuses), by source key. */
export async function catalogRecords(call: Call, profileId: string, resource: string, schoolYear: number): Promise<Map<string, RecordRow>> {
  const out = new Map<string, RecordRow>();
  for (let page = 1; ; page++) {
    const res = await call(
      `/api/profiles/${profileId}/records?resource=${resource}&schoolYear=${schoolYear}&status=pending,processing,published,dependency,error,deleted,excluded&pageSize=500&page=${page}&sort=sourceKey`,
    );
    if (res.statusCode !== 200) throw new Error(`records of ${resource}: ${res.body}`);
    const { rows } = res.json<{ rows: RecordRow[] }>();
    for (const r of rows) out.set(r.sourceKey, r);
    if (rows.length < 500) return out;
  }
}

/** Every record of a resource the ODS (or sandbox) lets this client read, page by page. */
export async function odsRecords(
  client: { page(resource: string, offset: number, limit: number): Promise<unknown[]> },
  resource: string,
): Promise<Array<Record<string, unknown>>> {
  const out: Array<Record<string, unknown>> = [];
  for (let offset = 0; ; offset += 500) {
    const page = (await client.page(resource, offset, 500)) as Array<Record<string, unknown>>;
    out.push(...page);
    if (page.length < 500) return out;
  }
}

/**
 * A clerk's mappings before publishing people: opening the Mapping page pre-maps every local code
 * whose value matches a downloaded descriptor; races (no value in common) are mapped by hand to the
 * Ed-Fi values the SIS's codes stand for.
 */
export async function mapLikeAClerk(call: Call, profileId: string, races: ReadonlyArray<{ code: string; stateCode: string }>): Promise<void> {
  const opened = await call(`/api/profiles/${profileId}/code-sets`);
  if (opened.statusCode !== 200) throw new Error(`the Mapping page did not open: ${opened.body}`);
  for (const r of races) {
    const res = await call({
      method: 'PUT',
      url: `/api/profiles/${profileId}/code-sets/races/mappings`,
      payload: { code: r.code, target: { namespace: 'uri://ed-fi.org/RaceDescriptor', codeValue: r.stateCode } },
    });
    if (res.statusCode !== 200) throw new Error(`mapping race ${r.code} failed: ${res.body}`);
  }
}

/** A clerk mapping local codes of one code set on the Mapping page, each to a downloaded descriptor. */
export async function mapCodes(
  call: Call,
  profileId: string,
  codeSet: string,
  mappings: ReadonlyArray<{ code: string; namespace: string; codeValue: string }>,
): Promise<void> {
  for (const m of mappings) {
    const res = await call({
      method: 'PUT',
      url: `/api/profiles/${profileId}/code-sets/${codeSet}/mappings`,
      payload: { code: m.code, target: { namespace: m.namespace, codeValue: m.codeValue } },
    });
    if (res.statusCode !== 200) throw new Error(`mapping ${codeSet} ${m.code} failed: ${res.body}`);
  }
}

/** Waits until `ok` holds, looking every half second; fails saying `what` did not happen in time. */
export async function until(what: string, ok: () => Promise<boolean>, withinMs: number): Promise<void> {
  const from = Date.now();
  while (!(await ok())) {
    if (Date.now() - from > withinMs) throw new Error(`${what}: not within ${withinMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 500));
  }
}
