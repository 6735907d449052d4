/** Test helpers for the download workflow: wait for every category to finish over HTTP. */
import type { InjectOptions, LightMyRequestResponse } from 'fastify';

export interface DownloadStatus {
  category: string;
  status: string;
  downloaded: number;
  message: string | null;
  lastActivity: string;
}

type Call = (opts: InjectOptions | string) => Promise<LightMyRequestResponse>;

/** Waits until `categories` categories of the profile's download for `schoolYear` finished (done or failed) after `since`. */
export async function untilDownloaded(call: Call, profileId: string, schoolYear: number, since: number, categories: number): Promise<DownloadStatus[]> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const rows = (await call(`/api/profiles/${profileId}/downloads?schoolYear=${schoolYear}`)).json<DownloadStatus[]>();
    const finished = rows.filter((r) => (r.status === 'done' || r.status === 'failed') && Date.parse(r.lastActivity) >= since);
    if (finished.length >= categories) return rows;
    if (Date.now() > deadline) throw new Error(`downloads did not finish: ${JSON.stringify(rows)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Tests and enables the LEA connection of a profile, as a clerk must before anything downloads or publishes. */
export async function enableConnection(call: Call, leaNumber: string, profileId: string, key: string, secret: string): Promise<void> {
  await call({ method: 'PUT', url: `/api/leas/${leaNumber}/connections/${profileId}`, payload: { key, secret } });
  const tested = await call({ method: 'POST', url: `/api/leas/${leaNumber}/connections/${profileId}/test` });
  if (tested.json<{ ok: boolean }>().ok !== true) throw new Error(`connection test failed: ${tested.body}`);
  const enabled = await call({ method: 'PUT', url: `/api/leas/${leaNumber}/connections/${profileId}/enabled`, payload: { enabled: true } });
  if (enabled.statusCode !== 200) throw new Error(`enabling the connection failed: ${enabled.body}`);
}
