/**
 * `npm run cli -- …`: the HTTP API from a terminal or a script, for API clients and scheduled runs.
 * Exit codes: 0 done, 1 the run ended with errors, 2 wrong usage, 3 the API refused or failed.
 */
import { parseArgs } from 'node:util';
import { schoolYearOf } from '../publishing/schoolYear.js';

const USAGE = `Usage: npm run cli -- <command> [options]

Commands:
  profiles                          the profiles this key may see
  publish  --profile ID --category ID [--option changes|all|dependencies|errors|retry-errors|remove-unpublished]
           [--year 2027] [--school ID] [--wait]
                                    queue a category publish; --wait follows it until it ends
  status   --profile ID             the profile's publish queue

Environment:
  EDX_API_URL   the API (default http://127.0.0.1:3000)
  EDX_API_KEY   an API key (admin: POST /api/api-keys)

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
interface QueueView {
  running?: QueueItem & { childStarted: boolean };
  waiting: QueueItem[];
  recent: Finished[];
}

const apiUrl = (process.env.EDX_API_URL ?? 'http://127.0.0.1:3000').replace(/\/+$/, '');

function headers(): Record<string, string> {
  const key = process.env.EDX_API_KEY;
  if (key === undefined || key === '') throw new UsageError('EDX_API_KEY is not set — create a key (POST /api/api-keys as an admin) and export EDX_API_KEY=edx_…');
  return { authorization: `Bearer ${key}`, accept: 'application/json' };
}

async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const auth = headers();
  let res: Response;
  try {
    res = await fetch(`${apiUrl}${path}`, { method, headers: { ...auth, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) }, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  } catch (err) {
    throw new ApiError(`cannot reach the API at ${apiUrl} (${(err as Error).cause instanceof Error ? ((err as Error).cause as Error).message : (err as Error).message}) — is npm start running? Set EDX_API_URL otherwise.`);
  }
  const text = await res.text();
  const parsed = text === '' ? undefined : (JSON.parse(text) as unknown);
  if (!res.ok) throw new ApiError(`HTTP ${res.status}: ${(parsed as { message?: string } | undefined)?.message ?? text}`);
  return parsed as T;
}

function required(values: Record<string, string | boolean | undefined>, name: string): string {
  const v = values[name];
  if (typeof v !== 'string' || v === '') throw new UsageError(`--${name} is required`);
  return v;
}

/** Follows the queue's live events until the ticket has finished; returns how it ended. */
async function follow(profileId: string, ticket: number): Promise<Finished> {
  const res = await fetch(`${apiUrl}/api/profiles/${encodeURIComponent(profileId)}/publish-queue/events`, { headers: headers() });
  if (!res.ok || res.body === null) throw new ApiError(`HTTP ${res.status} while following the queue`);
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  const tty = process.stdout.isTTY;
  const frames = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
  let frame = 0;
  let lastLine = '';
  const show = (line: string): void => {
    if (tty) process.stdout.write(`\r\x1b[2K${frames[frame++ % frames.length]} ${line}`);
    else if (line !== lastLine) console.log(line);
    lastLine = line;
  };
  let buffer = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) throw new ApiError('the live status stream ended before the run finished');
      buffer += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const data = /^event: queue\ndata: (.*)$/m.exec(buffer.slice(0, end))?.[1];
        buffer = buffer.slice(end + 2);
        if (data === undefined) continue;
        const view = JSON.parse(data) as QueueView | null;
        const finished = view?.recent.find((r) => r.ticket === ticket);
        if (finished !== undefined) {
          if (tty) process.stdout.write('\r\x1b[2K');
          return finished;
        }
        const position = view?.waiting.findIndex((w) => w.ticket === ticket) ?? -1;
        if (view?.running?.ticket === ticket) show('Publishing…');
        else if (position >= 0) show(`Waiting (position ${position + 1}${view?.running !== undefined ? `, after ${view.running.request?.category ?? 'the running category'}` : ''})…`);
      }
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      profile: { type: 'string' },
      category: { type: 'string' },
      option: { type: 'string', default: 'changes' },
      year: { type: 'string' },
      school: { type: 'string' },
      wait: { type: 'boolean', default: false },
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
      const profiles = await api<Array<{ id: string; name: string; profileType: string; schoolYears: number[] }>>('GET', '/api/profiles');
      for (const p of profiles) console.log(`${p.id}\t${p.name}\t${p.profileType}\t${p.schoolYears.join(',')}`);
      return 0;
    }
    case 'publish': {
      const profileId = required(values, 'profile');
      const category = required(values, 'category');
      const year = values.year !== undefined ? Number(values.year) : schoolYearOf(new Date());
      if (!Number.isInteger(year)) throw new UsageError(`--year must be the ending year, e.g. 2027 for 2026-2027; got "${values.year}"`);
      const body = { category, option: values.option, schoolYear: year, scope: values.school !== undefined ? { kind: 'school', schoolId: values.school } : { kind: 'district' } };
      const queued = await api<{ ticket: number; position: number; duplicate: boolean; workflowId: string; temporalUrl?: string }>('POST', `/api/profiles/${encodeURIComponent(profileId)}/publish`, body);
      console.log(`${queued.duplicate ? 'Already waiting' : 'Queued'}: ticket ${queued.ticket}, position ${queued.position}, run ${queued.workflowId}${queued.temporalUrl !== undefined ? `\n  history: ${queued.temporalUrl}` : ''}`);
      if (!values.wait) return 0;
      const finished = await follow(profileId, queued.ticket);
      if (finished.outcome === 'completed') {
        console.log(`Done: ${finished.category} (${finished.workflowId})`);
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
