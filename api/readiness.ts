/**
 * /readyz: is every dependency of the service reachable? Each check answers with its own
 * verdict and detail so an operator sees which one is down, not just "not ready".
 */
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Client } from '@temporalio/client';
import { request } from 'undici';
import proto from '@temporalio/proto';

const { TaskQueueKind, TaskQueueType } = proto.temporal.api.enums.v1;

export interface CheckResult {
  readonly ok: boolean;
  readonly detail: string;
  readonly ms: number;
}

export type Check = () => Promise<string>;

async function timed(check: Check, timeoutMs: number): Promise<CheckResult> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    const detail = await Promise.race([
      check(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return { ok: true, detail, ms: Math.round(performance.now() - started) };
  } catch (err) {
    return { ok: false, detail: err instanceof Error ? err.message : String(err), ms: Math.round(performance.now() - started) };
  } finally {
    clearTimeout(timer);
  }
}

export async function runChecks(checks: Record<string, Check>, timeoutMs = 3_000): Promise<{ ready: boolean; checks: Record<string, CheckResult> }> {
  const entries = await Promise.all(Object.entries(checks).map(async ([name, check]) => [name, await timed(check, timeoutMs)] as const));
  return { ready: entries.every(([, r]) => r.ok), checks: Object.fromEntries(entries) };
}

export function databaseCheck(orm: MikroORM): Check {
  return async () => {
    await orm.em.getConnection().execute('select 1');
    return 'app database answers';
  };
}

export function temporalCheck(client: Client, namespace: string): Check {
  return async () => {
    await client.workflowService.describeNamespace({ namespace });
    return `namespace ${namespace} reachable`;
  };
}

/** A publish only runs if some worker polls the publishing task queue. */
export function workerCheck(client: Client, namespace: string, taskQueue: string): Check {
  return async () => {
    const res = await client.workflowService.describeTaskQueue({
      namespace,
      taskQueue: { name: taskQueue, kind: TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
      taskQueueType: TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
    });
    const pollers = res.pollers?.length ?? 0;
    if (pollers === 0) throw new Error(`no worker polls task queue ${taskQueue} (start one: npm start, or npm run worker)`);
    return `${pollers} worker poller(s) on ${taskQueue}`;
  };
}

/** The Ed-Fi API's discovery document (its base URL) must answer with JSON. */
export function edfiCheck(baseUrl: string | undefined): Check {
  return async () => {
    if (baseUrl === undefined) return 'not configured (set EDFI_BASE_URL to check an Ed-Fi API)';
    const res = await request(baseUrl, { method: 'GET', headers: { accept: 'application/json' }, headersTimeout: 3_000, bodyTimeout: 3_000 });
    const body = await res.body.text();
    if (res.statusCode !== 200) throw new Error(`${baseUrl} answered HTTP ${res.statusCode}`);
    try {
      const doc = JSON.parse(body) as { version?: string };
      return `${baseUrl} answered${doc.version !== undefined ? ` (ODS/API ${doc.version})` : ''}`;
    } catch {
      throw new Error(`${baseUrl} answered, but not with an Ed-Fi discovery document (no JSON)`);
    }
  };
}
