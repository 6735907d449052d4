import path from 'node:path';
import { tmpdir } from 'node:os';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProfile } from '../db/profiles.js';
import { createApiKey } from '../db/users.js';
import { startApiHarness, type ApiHarness } from '../test/apiHarness.js';
import { finishSignal } from '../test/workflows/queueHarness.js';
import { runCli, untilOutput, type Run } from '../test/cli.js';

let h: ApiHarness;
let env: Record<string, string>;
const cli = (args: string[], extraEnv: Record<string, string> = {}): Run => runCli(args, { ...env, ...extraEnv });
let adminKey: string;
const profileId = `cli-${randomUUID().slice(0, 8)}`;

beforeAll(async () => {
  h = await startApiHarness('cli', { worker: true, listen: true });
  const em = h.orm.em.fork();
  createProfile(em, { id: profileId, name: 'CLI ISD', profileType: 'SIS', schoolYears: [2025] });
  await em.flush();
  const key = await createApiKey(h.orm.em.fork(), { name: 'cli test', role: 'clerk' });
  adminKey = (await createApiKey(h.orm.em.fork(), { name: 'cli admin', role: 'admin' })).token;
  env = { EDX_API_URL: h.baseUrl!, EDX_API_KEY: key.token };
});

afterAll(async () => {
  await h?.close();
});

describe('npm run cli', () => {
  it('publishes and waits: exit 0 when the run completes, 1 when it ends with errors', async () => {
    const ok = cli(['publish', '--profile', profileId, '--category', 'organization-catalog', '--option', 'all', '--year', '2025', '--wait']);
    // The bar comes from the run's progress query (the stand-in reports 3 of 10 batches).
    await untilOutput(ok, '3 of 10 batches · 300 sent (270 published, 30 dependency, 0 error)');
    expect(ok.output()).toContain(`Queued: ticket 1, position 1, run publish/${profileId}/2025/organization-catalog/1`);
    await h.client.workflow.getHandle(`publish/${profileId}/2025/organization-catalog/1`).signal(finishSignal, 'completed');
    expect(await ok.code).toBe(0);
    expect(ok.output()).toContain('Done: organization-catalog');

    const bad = cli(['publish', '--profile', profileId, '--category', 'course-catalog', '--year', '2025', '--wait']);
    await untilOutput(bad, '3 of 10 batches');
    await h.client.workflow.getHandle(`publish/${profileId}/2025/course-catalog/2`).signal(finishSignal, 'failed');
    expect(await bad.code).toBe(1);
    expect(bad.output()).toContain('Ended with errors: course-catalog — ');

    const status = cli(['status', '--profile', profileId]);
    expect(await status.code).toBe(0);
    expect(status.output()).toContain('Finished: #2 course-catalog failed');
  });

  it('downloads and waits: exit 1 with the reason when a category fails; stop refused when nothing runs', async () => {
    // The profile has no API URL yet: every category fails and says what to set.
    const run = cli(['download', '--profile', profileId, '--year', '2025', '--category', 'descriptors', '--category', 'organization-catalog', '--wait'], {
      EDX_API_KEY: adminKey,
    });
    expect(await run.code).toBe(1);
    expect(run.output()).toContain(`Downloading descriptors, organization-catalog (download/${profileId}/2025)`);
    expect(run.output()).toContain(`descriptors: failed, 0 downloaded — profile ${profileId} has no API URL: set the Data Exchange URL first`);
    expect(run.output()).toContain('organization-catalog: failed, 0 downloaded');
    await h.client.workflow.getHandle(`download/${profileId}/2025`).result();
    const stop = cli(['download', '--profile', profileId, '--year', '2025', '--stop'], { EDX_API_KEY: adminKey });
    expect(await stop.code).toBe(3);
    expect(stop.output()).toContain('HTTP 409: no download of 2024-2025 is running for "CLI ISD"');
  });

  it('says what is wrong: exit 2 for usage, 3 when the API refuses', async () => {
    const unknown = cli(['republish', '--profile', profileId, '--resource', 'nosuch', '--key', '1', '--year', '2025']);
    expect(await unknown.code).toBe(3);
    expect(unknown.output()).toContain('HTTP 404: no resource "nosuch"');
    const usage = cli(['publish', '--category', 'course-catalog']);
    expect(await usage.code).toBe(2);
    expect(usage.output()).toContain('--profile is required');
    // No key in the environment and no npm start data dir holding one.
    const noKey = cli(['profiles'], { EDX_API_KEY: '', EDX_DATA_DIR: path.join(tmpdir(), 'edfi-exchange-no-such-dir') });
    expect(await noKey.code).toBe(2);
    expect(noKey.output()).toContain('EDX_API_KEY is not set');
    const refused = cli(['publish', '--profile', profileId, '--category', 'descriptors', '--option', 'changes', '--year', '2025']);
    expect(await refused.code).toBe(3);
    expect(refused.output()).toContain('HTTP 400: option: "Descriptors (Common Codes)" offers Retry – Errors (retry-errors), Now – All (all)');
    const profiles = cli(['profiles']);
    expect(await profiles.code).toBe(0);
    expect(profiles.output()).toContain(`${profileId}\tCLI ISD\tSIS\t2025\t-`);
  });
});
