/**
 * `npm run cli -- …`: the HTTP API from a terminal or a script, for API clients and scheduled runs.
 * Exit codes: 0 done, 1 the run ended with errors, 2 wrong usage, 3 the API refused or failed.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadLocalSettings } from '../scripts/settings.js';
import { schoolYearOf } from '../publishing/schoolYear.js';
import { progressBar, type CategoryProgress as Progress } from '../publishing/progress.js';
import type { PreviewCounts } from '../publishing/preview.js';

const USAGE = `Usage: npm run cli -- <command> [options]

Commands:
  profiles                          the profiles this key may see (id, name, type, years, district)
  publish  --profile ID --category ID [--option changes|preview|all|dependencies|errors|retry-errors|remove-unpublished|missing]
           [--year 2027] [--school ID] [--wait]
                                    queue a category publish; --wait follows it until it ends
  status   --profile ID             the profile's publish queue
  republish --profile ID --resource NAME --key SOURCE_KEY [--year 2027]
                                    publish one record now (e.g. --resource calendars --key 1234)
  download --profile ID [--year 2027] [--category descriptors|organization-catalog|course-catalog ...]
           [--wait] [--stop]        download from the state's API; --wait follows it; --stop stops it
  initial-sync --profile ID [--year 2027] [--school ID] [--data-changes] [--wait]
                                    the initial synchronization: every category in the guide's order;
                                    --data-changes turns Data Changes on at the end (admin key)
  initial-sync --profile ID [--year 2027] --status|--pause|--resume|--cancel

--year is the ending year (2027 = 2026-2027); without it, the current school year when the profile
has it, else the profile's latest (as the dashboard opens).

Environment:
  EDX_API_URL   the API (default: npm start's, http://127.0.0.1:3000 or API_HOST/API_PORT)
  EDX_API_KEY   an API key (admin: POST /api/api-keys); default: the one npm start keeps in .data/api-key

Exit codes: 0 done, 1 the run ended with errors, 2 wrong usage, 3 the API refused the request.`;

class UsageError extends Error {}
class ApiError extends Error {}

interface QueueItem {
  ticket: number;
  workflowId: string;
  request?: { category: string; option: string; schoolYear: number };
}
interface Finished {
  ticket: number;
  workflowId: string;
  category: string;
  outcome: 'completed' | 'failed';
  detail?: string;
}
interface DownloadRow {
  category: string;
  status: string;
  downloaded: number;
  message: string | null;
  lastActivity: string;
}
interface QueueView {
  running?: QueueItem & { childStarted: boolean };
  waiting: QueueItem[];
  recent: Finished[];
}

/** This machine's `npm start` (its data dir and API port), when its settings read cleanly. */
function localStack(): { dataDir: string; apiUrl: string } | undefined {
  try {
    const local = loadLocalSettings(path.resolve(import.meta.dirname, '..'));
    return { dataDir: local.dataDir, apiUrl: `http://${local.apiHost}:${local.apiPort}` };
  } catch {
    return undefined;
  }
}

const apiUrl = (process.env.EDX_API_URL || localStack()?.apiUrl || 'http://127.0.0.1:3000').replace(/\/+$/, '');

/** EDX_API_KEY, else the admin key `npm start` keeps in its data dir (this machine's own install). */
function apiKey(): string | undefined {
  const key = process.env.EDX_API_KEY;
  if (key !== undefined && key !== '') return key;
  const dataDir = localStack()?.dataDir;
  const file = dataDir === undefined ? undefined : path.join(dataDir, 'api-key');
  return file !== undefined && existsSync(file) ? readFileSync(file, 'utf8').trim() : undefined;
}

function headers(): Record<string, string> {
  const key = apiKey();
  if (key === undefined)
    throw new UsageError(
      'EDX_API_KEY is not set (and npm start has not made .data/api-key here) — create a key (POST /api/api-keys as an admin) and export EDX_API_KEY=edx_…',
    );
  return { authorization: `Bearer ${key}`, accept: 'application/json' };
}

async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const auth = headers();
  let res: Response;
  try {
    res = await fetch(`${apiUrl}${path}`, {
      method,
      headers: { ...auth, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  } catch (err) {
    throw new ApiError(
      `cannot reach the API at ${apiUrl} (${(err as Error).cause instanceof Error ? ((err as Error).cause as Error).message : (err as Error).message}) — is npm start running? Set EDX_API_URL otherwise.`,
    );
  }
  const text = await res.text();
  const parsed = text === '' ? undefined : (JSON.parse(text) as unknown);
  if (!res.ok) throw new ApiError(`HTTP ${res.status}: ${(parsed as { message?: string } | undefined)?.message ?? text}`);
  return parsed as T;
}

function required(values: Record<string, string | boolean | string[] | undefined>, name: string): string {
  const v = values[name];
  if (typeof v !== 'string' || v === '') throw new UsageError(`--${name} is required`);
  return v;
}

/** A one-line status that redraws in place on a terminal and prints only changes otherwise. */
function statusLine(): { show(line: string): void; clear(): void } {
  const tty = process.stdout.isTTY;
  let lastLine = '';
  return {
    show(line) {
      if (tty) process.stdout.write(`\r\x1b[2K${line}`);
      else if (line !== lastLine) console.log(line);
      lastLine = line;
    },
    clear() {
      if (tty) process.stdout.write('\r\x1b[2K');
    },
  };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Follows the queue until the ticket has finished, with a progress bar while it runs; returns how it ended. */
async function follow(profileId: string, ticket: number, schoolYear: number): Promise<Finished> {
  const base = `/api/profiles/${encodeURIComponent(profileId)}`;
  const line = statusLine();
  for (;;) {
    const view = await api<QueueView>('GET', `${base}/publish-queue`);
    const finished = view.recent.find((r) => r.ticket === ticket);
    if (finished !== undefined) {
      line.clear();
      return finished;
    }
    const position = view.waiting.findIndex((w) => w.ticket === ticket);
    if (view.running?.ticket === ticket) {
      const dash = await api<{ groups: Array<{ categories: Array<{ id: string; progress: Progress | null }> }> }>(
        'GET',
        `${base}/dashboard?schoolYear=${schoolYear}`,
      );
      const progress = dash.groups.flatMap((g) => g.categories).find((c) => c.id === view.running?.request?.category)?.progress;
      line.show(progress != null ? progressBar(progress) : 'Publishing…');
    } else if (position >= 0)
      line.show(
        `Waiting (position ${position + 1}${view.running !== undefined && view.running !== null ? `, after ${view.running.request?.category ?? 'the running category'}` : ''})…`,
      );
    await sleep(1000);
  }
}

/** Follows a download until every category asked for has ended after `since`; true when none failed. */
async function followDownload(profileId: string, schoolYear: number, categories: string[], since: number): Promise<boolean> {
  const line = statusLine();
  for (;;) {
    const rows = await api<DownloadRow[]>('GET', `/api/profiles/${encodeURIComponent(profileId)}/downloads?schoolYear=${schoolYear}`);
    const mine = rows.filter((r) => categories.includes(r.category));
    const ended = mine.filter((r) => ['done', 'failed', 'stopped'].includes(r.status) && Date.parse(r.lastActivity) >= since);
    if (ended.length === categories.length) {
      line.clear();
      for (const r of ended) console.log(`${r.category}: ${r.status}, ${r.downloaded} downloaded${r.message !== null ? ` — ${r.message}` : ''}`);
      return ended.every((r) => r.status === 'done');
    }
    line.show(mine.map((r) => `${r.category}: ${r.status} (${r.downloaded})`).join(' · ') || 'Waiting…');
    await sleep(1000);
  }
}

/** --year, else the year the dashboard opens on: the current school year when the profile has it, else its latest. */
async function yearOf(values: Record<string, string | boolean | string[] | undefined>, profileId: string): Promise<number> {
  if (typeof values.year === 'string') {
    const year = Number(values.year);
    if (!Number.isInteger(year)) throw new UsageError(`--year must be the ending year, e.g. 2027 for 2026-2027; got "${values.year}"`);
    return year;
  }
  const current = schoolYearOf(new Date());
  const { schoolYears } = await api<{ schoolYears: number[] }>('GET', `/api/profiles/${encodeURIComponent(profileId)}`);
  return schoolYears.includes(current) || schoolYears.length === 0 ? current : Math.max(...schoolYears);
}

interface InitialSync {
  state: string;
  open: boolean;
  current: number;
  steps: Array<{ category: string; option: string; state: string; published?: number; dependency?: number; error?: number; detail?: string }>;
  skipped: Array<{ category: string; why: string }>;
  dataChanges?: string;
  detail?: string;
}

/** Prints the initial synchronization's state (category n of m and each one's counts), following it to its end with `wait`. */
async function followInitialSync(base: string, year: number, wait: boolean): Promise<number> {
  let shown = '';
  for (;;) {
    const s = await api<InitialSync>('GET', `${base}?schoolYear=${year}`);
    const step = s.steps[s.current - 1];
    const line = `${s.state}: category ${s.current} of ${s.steps.length}${step !== undefined ? ` — ${step.category} ${step.state}` : ''}`;
    if (line !== shown) console.log(line);
    shown = line;
    if (!s.open || !wait) {
      for (const t of s.steps)
        console.log(
          `  ${t.category} (${t.option}): ${t.state}${t.published !== undefined ? ` — ${t.published} published, ${t.dependency ?? 0} dependency, ${t.error ?? 0} error` : ''}`,
        );
      for (const k of s.skipped) console.log(`  ${k.category}: skipped — ${k.why}`);
      if (s.detail !== undefined) console.log(s.detail);
      if (s.dataChanges !== undefined) console.log(s.dataChanges);
      return s.open || s.state === 'completed' ? 0 : 1;
    }
    await new Promise((r) => setTimeout(r, 2_000));
  }
}

/** A Preview – Changes run's findings, one line per entity with something to send. */
async function printPreview(profileId: string, workflowId: string): Promise<void> {
  const preview = await api<{
    total: PreviewCounts;
    entities: Array<{ label: string; counts: PreviewCounts; samples: Array<{ kind: string; naturalKey: Record<string, unknown>; changed?: string[] }> }>;
  }>('GET', `/api/profiles/${encodeURIComponent(profileId)}/preview?workflowId=${encodeURIComponent(workflowId)}`).catch((err: unknown) => {
    console.log(`No preview to show: ${(err as Error).message}`);
    return undefined;
  });
  if (preview === undefined) return;
  const line = (c: PreviewCounts): string => `${c.post} new, ${c.update} updated, ${c.rekey} re-keyed, ${c.delete} deleted`;
  console.log(`Preview (nothing was sent): ${line(preview.total)}`);
  for (const e of preview.entities) {
    if (e.counts.post + e.counts.update + e.counts.rekey + e.counts.delete === 0) continue;
    console.log(`  ${e.label}: ${line(e.counts)}`);
    for (const s of e.samples)
      console.log(`    ${s.kind} ${JSON.stringify(s.naturalKey)}${s.changed !== undefined ? ` — changed: ${s.changed.join(', ')}` : ''}`);
  }
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      profile: { type: 'string' },
      category: { type: 'string', multiple: true },
      option: { type: 'string', default: 'changes' },
      year: { type: 'string' },
      school: { type: 'string' },
      resource: { type: 'string' },
      key: { type: 'string' },
      wait: { type: 'boolean', default: false },
      stop: { type: 'boolean', default: false },
      'data-changes': { type: 'boolean', default: false },
      status: { type: 'boolean', default: false },
      pause: { type: 'boolean', default: false },
      resume: { type: 'boolean', default: false },
      cancel: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const command = positionals[0];
  if (values.help || command === undefined) {
    console.log(USAGE);
    return command === undefined && !values.help ? 2 : 0;
  }
  switch (command) {
    case 'profiles': {
      const profiles = await api<Array<{ id: string; name: string; profileType: string; schoolYears: number[]; leaId: string | null }>>('GET', '/api/profiles');
      // The district last: a key of one district sees only its own; the deployment's IT sees which is whose.
      for (const p of profiles) console.log(`${p.id}\t${p.name}\t${p.profileType}\t${p.schoolYears.join(',')}\t${p.leaId ?? '-'}`);
      return 0;
    }
    case 'publish': {
      const profileId = required(values, 'profile');
      const category = values.category?.[0];
      if (category === undefined) throw new UsageError('--category is required');
      const year = await yearOf(values, profileId);
      const body = {
        category,
        option: values.option,
        schoolYear: year,
        scope: values.school !== undefined ? { kind: 'school', schoolId: values.school } : { kind: 'district' },
      };
      const queued = await api<{ ticket: number; position: number; duplicate: boolean; workflowId: string; temporalUrl?: string }>(
        'POST',
        `/api/profiles/${encodeURIComponent(profileId)}/publish`,
        body,
      );
      console.log(
        `${queued.duplicate ? 'Already waiting' : 'Queued'}: ticket ${queued.ticket}, position ${queued.position}, run ${queued.workflowId}${queued.temporalUrl !== undefined ? `\n  history: ${queued.temporalUrl}` : ''}`,
      );
      if (!values.wait) return 0;
      const finished = await follow(profileId, queued.ticket, year);
      if (finished.outcome === 'completed') {
        console.log(`Done: ${finished.category} (${finished.workflowId})`);
        if (values.option === 'preview') await printPreview(profileId, finished.workflowId);
        return 0;
      }
      console.log(`Ended with errors: ${finished.category} — ${finished.detail ?? 'see the run history'}`);
      return 1;
    }
    case 'status': {
      const profileId = required(values, 'profile');
      const q = await api<QueueView & { running: QueueView['running'] | null }>('GET', `/api/profiles/${encodeURIComponent(profileId)}/publish-queue`);
      console.log(q.running ? `Publishing: #${q.running.ticket} ${q.running.request?.category ?? ''} (${q.running.workflowId})` : 'Publishing: nothing');
      for (const [i, w] of q.waiting.entries()) console.log(`Waiting ${i + 1}: #${w.ticket} ${w.request?.category ?? ''} ${w.request?.option ?? ''}`);
      for (const r of q.recent.slice(-5)) console.log(`Finished: #${r.ticket} ${r.category} ${r.outcome}${r.detail !== undefined ? ` — ${r.detail}` : ''}`);
      return 0;
    }
    case 'republish': {
      const profileId = required(values, 'profile');
      const resource = required(values, 'resource');
      const key = required(values, 'key');
      const result = await api<{ workflowId: string; outcome: string }>(
        'POST',
        `/api/profiles/${encodeURIComponent(profileId)}/records/${encodeURIComponent(resource)}/${encodeURIComponent(key)}/publish`,
        { schoolYear: await yearOf(values, profileId) },
      );
      console.log(`${resource} ${key}: ${result.outcome} (${result.workflowId})`);
      return result.outcome === 'published' ? 0 : 1;
    }
    case 'download': {
      const profileId = required(values, 'profile');
      const year = await yearOf(values, profileId);
      const base = `/api/profiles/${encodeURIComponent(profileId)}/downloads`;
      if (values.stop) {
        const stopped = await api<{ workflowId: string }>('DELETE', `${base}?schoolYear=${year}`);
        console.log(`Stopping ${stopped.workflowId}: what was downloaded stays.`);
        return 0;
      }
      const since = Date.now() - 1000;
      const started = await api<{ workflowId: string; categories: string[] }>('POST', base, {
        schoolYear: year,
        ...(values.category !== undefined ? { categories: values.category } : {}),
      });
      console.log(`Downloading ${started.categories.join(', ')} (${started.workflowId})`);
      if (!values.wait) return 0;
      return (await followDownload(profileId, year, started.categories, since)) ? 0 : 1;
    }
    case 'initial-sync': {
      const profileId = required(values, 'profile');
      const year = await yearOf(values, profileId);
      const base = `/api/profiles/${encodeURIComponent(profileId)}/initial-sync`;
      const action = (['pause', 'resume', 'cancel'] as const).find((a) => values[a] === true);
      if (action !== undefined) {
        const done = await api<{ workflowId: string }>('POST', `${base}/${action}`, { schoolYear: year });
        console.log(`${action === 'cancel' ? 'Cancelling' : action === 'pause' ? 'Pausing' : 'Resuming'} ${done.workflowId}`);
        return 0;
      }
      if (values.status !== true) {
        const started = await api<{ workflowId: string; temporalUrl?: string }>('POST', base, {
          schoolYear: year,
          scope: values.school !== undefined ? { kind: 'school', schoolId: values.school } : { kind: 'district' },
          turnOnDataChanges: values['data-changes'] === true,
        });
        console.log(`Started ${started.workflowId}${started.temporalUrl !== undefined ? `\n  history: ${started.temporalUrl}` : ''}`);
        if (!values.wait) return 0;
      }
      return followInitialSync(base, year, values.wait === true);
    }
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (err) {
  if (err instanceof UsageError || (err as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    console.error(`${(err as Error).message}\n\n${USAGE}`);
    process.exitCode = 2;
  } else if (err instanceof ApiError) {
    console.error(err.message);
    process.exitCode = 3;
  } else throw err;
}
