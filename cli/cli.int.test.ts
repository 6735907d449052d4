import { spawn } from 'node:child_process';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProfile } from '../db/profiles.js';
import { createApiKey } from '../db/users.js';
import { startApiHarness, type ApiHarness } from '../test/apiHarness.js';
import { finishSignal } from '../test/workflows/queueHarness.js';

const root = path.resolve(import.meta.dirname, '..');
let h: ApiHarness;
let env: Record<string, string>;
const profileId = `cli-${randomUUID().slice(0, 8)}`;

interface Run {
  output(): string;
  readonly code: Promise<number | null>;
}

function cli(args: string[], extraEnv: Record<string, string> = {}): Run {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'cli/main.ts'), ...args], { cwd: root, env: { ...process.env, ...env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  return { output: () => out, code: new Promise((resolve) => child.on('exit', resolve)) };
}

async function untilOutput(run: Run, text: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!run.output().includes(text)) {
    if (Date.now() > deadline) throw new Error(`CLI never printed "${text}":\n${run.output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  h = await startApiHarness('cli', { worker: true, listen: true });
  const em = h.orm.em.fork();
  createProfile(em, { id: profileId, name: 'CLI ISD', profileType: 'SIS', schoolYears: [2025] });
  await em.flush();
  const key = await createApiKey(h.orm.em.fork(), { name: 'cli test', role: 'clerk' });
  env = { EDX_API_URL: h.baseUrl!, EDX_API_KEY: key.token };
});

afterAll(async () => {
  await h?.close();
});

describe('npm run cli', () => {
  it('publishes and waits: exit 0 when the run completes, 1 when it ends with errors', async () => {
    const ok = cli(['publish', '--profile', profileId, '--category', 'organization-catalog', '--option', 'all', '--year', '2025', '--wait']);
    await untilOutput(ok, 'Publishing…');
    expect(ok.output()).toContain(`Queued: ticket 1, position 1, run publish/${profileId}/2025/organization-catalog/1`);
    await h.client.workflow.getHandle(`publish/${profileId}/2025/organization-catalog/1`).signal(finishSignal, 'completed');
    expect(await ok.code).toBe(0);
    expect(ok.output()).toContain('Done: organization-catalog');

    const bad = cli(['publish', '--profile', profileId, '--category', 'course-catalog', '--year', '2025', '--wait']);
    await untilOutput(bad, 'Publishing…');
    await h.client.workflow.getHandle(`publish/${profileId}/2025/course-catalog/2`).signal(finishSignal, 'failed');
    expect(await bad.code).toBe(1);
    expect(bad.output()).toContain('Ended with errors: course-catalog — ');

    const status = cli(['status', '--profile', profileId]);
    expect(await status.code).toBe(0);
    expect(status.output()).toContain('Finished: #2 course-catalog failed');
  });

  it('says what is wrong: exit 2 for usage, 3 when the API refuses', async () => {
    const usage = cli(['publish', '--category', 'course-catalog']);
    expect(await usage.code).toBe(2);
    expect(usage.output()).toContain('--profile is required');
    const noKey = cli(['profiles'], { EDX_API_KEY: '' });
    expect(await noKey.code).toBe(2);
    expect(noKey.output()).toContain('EDX_API_KEY is not set');
    const refused = cli(['publish', '--profile', profileId, '--category', 'descriptors', '--option', 'changes', '--year', '2025']);
    expect(await refused.code).toBe(3);
    expect(refused.output()).toContain('HTTP 400: option: "Descriptors (Common Codes)" offers Retry – Errors (retry-errors), Now – All (all)');
    const profiles = cli(['profiles']);
    expect(await profiles.code).toBe(0);
    expect(profiles.output()).toContain(`${profileId}\tCLI ISD\tSIS\t2025`);
  });
});
