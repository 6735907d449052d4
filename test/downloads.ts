/** Test helpers for the download workflow: wait for every category to finish over HTTP. */
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { startSandbox, type Sandbox, type SandboxClient } from '../sandbox/server.js';

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

/** A profile against `apiUrl` with its LEA's connection tested and enabled and the state's descriptors downloaded: where every publishing test starts. */
/** A Texas sandbox holding the key the state issued for one district (a key of another LEA fails the Test), besides `others`. */
export function sandboxWithDistrictKey(key: { key: string; secret: string }, leaNumber: string, others: readonly SandboxClient[] = []): Promise<Sandbox> {
  return startSandbox({
    texasExtension: '2025.2.1',
    clients: [...others, { ...key, claimSet: 'Ed-Fi Sandbox', educationOrganizationIds: [Number(leaNumber)], namespacePrefixes: ['uri://'] }],
  });
}

export async function profileWithDescriptors(
  call: Call,
  p: {
    profileId: string;
    name: string;
    apiUrl: string;
    schoolYear: number;
    lea: { number: string; name: string };
    key: string;
    secret: string;
    profileType?: string;
  },
): Promise<void> {
  const created = await call({
    method: 'POST',
    url: '/api/profiles',
    payload: { id: p.profileId, name: p.name, profileType: p.profileType ?? 'SIS', schoolYears: [p.schoolYear], apiUrl: p.apiUrl },
  });
  if (created.statusCode !== 201) throw new Error(`creating profile ${p.profileId} failed: ${created.body}`);
  await call({ method: 'POST', url: '/api/leas', payload: { name: p.lea.name, stateNumber: p.lea.number } });
  await enableConnection(call, p.lea.number, p.profileId, p.key, p.secret);
  const since = Date.now();
  await call({ method: 'POST', url: `/api/profiles/${p.profileId}/downloads`, payload: { schoolYear: p.schoolYear, categories: ['descriptors'] } });
  await untilDownloaded(call, p.profileId, p.schoolYear, since, 1);
}

/** Maps the generated district's regular calendars (REG) to TEA's calendar type 01, as a clerk does first. */
export async function mapRegularCalendars(call: Call, profileId: string): Promise<void> {
  const mapped = await call({
    method: 'PUT',
    url: `/api/profiles/${profileId}/code-sets/calendar-types/mappings`,
    payload: { code: 'REG', target: { namespace: 'uri://tea.texas.gov/CalendarTypeDescriptor', codeValue: '01' } },
  });
  if (mapped.statusCode !== 200) throw new Error(`mapping REG was refused: ${mapped.body}`);
}

/** Maps every six-weeks reporting term (SW1–SW6, per school) to Ed-Fi's "First Six Weeks" … "Sixth Six Weeks". */
export async function mapSixWeeks(call: Call, profileId: string): Promise<void> {
  const SIX = ['First', 'Second', 'Third', 'Fourth', 'Fifth', 'Sixth'];
  for (const t of (await call(`/api/profiles/${profileId}/code-sets/reporting-terms/codes`)).json<Array<{ code: string; schoolId: number }>>()) {
    const n = /^SW([1-6])$/.exec(t.code)?.[1];
    if (n !== undefined)
      await call({
        method: 'PUT',
        url: `/api/profiles/${profileId}/code-sets/reporting-terms/mappings`,
        payload: {
          code: t.code,
          schoolId: t.schoolId,
          target: { namespace: 'uri://ed-fi.org/GradingPeriodDescriptor', codeValue: `${SIX[Number(n) - 1]} Six Weeks` },
        },
      });
  }
}
