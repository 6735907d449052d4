/** `npm run sandbox -- …` flags → SandboxOptions, with a message that says what to fix for each bad one. */
import { parseArgs } from 'node:util';
import type { SandboxOptions } from './options.js';

export const USAGE = `Usage: npm run sandbox -- [options]

  --port 8765                 port to listen on (0: any free port)
  --host 127.0.0.1            address to bind (0.0.0.0 for every interface)
  --api-version 7.x|6.1       ODS/API behaviour: 7.x Problem Details, 6.1 {"message"} errors (default 7.x)
  --data-standard 4.0|5.x     Ed-Fi Data Standard (default 4.0)
  --texas 2025.2.1|2024.2.1|2026.2.1|none
                              Texas extension (default 2025.2.1)
  --clients FILE              API clients, {"clients":[{"key","secret","claimSet","educationOrganizationIds"}]}
  --snapshot FILE             keep data across restarts in FILE
  --faults FILE               faults, {"seed":1,"rules":[{"route":"POST /data/v3/","error503":0.05}]}
  --year-specific             one ODS per school year (/2025/data/v3/… in 7.x, /data/v3/2025/… in 6.1)
  --school-years 2024,2025    the years that have an ODS (with --year-specific; default 2024,2025,2026)
  --admin-token TOKEN         guard /admin/* with a token (default: loopback callers only)
  --token-lifetime SECONDS    bearer token lifetime (default 1800)
  --strict                    refuse unknown properties (the ODS ignores them)
  --no-seed                   start empty instead of with sandbox/seed/
  -h, --help                  this text`;

export type CliResult = { readonly options: SandboxOptions } | { readonly help: true } | { readonly error: string };

export function parseCli(argv: readonly string[]): CliResult {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: 'string', default: '8765' },
        host: { type: 'string', default: '127.0.0.1' },
        'api-version': { type: 'string', default: '7.x' },
        'data-standard': { type: 'string', default: '4.0' },
        texas: { type: 'string', default: '2025.2.1' },
        clients: { type: 'string' },
        snapshot: { type: 'string' },
        faults: { type: 'string' },
        'year-specific': { type: 'boolean', default: false },
        'school-years': { type: 'string' },
        'admin-token': { type: 'string' },
        'token-lifetime': { type: 'string' },
        strict: { type: 'boolean', default: false },
        'no-seed': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (err) {
    return { error: `${(err as Error).message.replace(/\. To specify a positional argument.*$/s, '')}\nRun with --help for the flags.` };
  }
  if (values.help === true) return { help: true };
  const str = (k: string) => values[k] as string | undefined;
  const port = Number(str('port'));
  if (!/^\d+$/.test(str('port') ?? '') || port > 65535) return { error: `--port must be a port number between 0 and 65535; got "${str('port')}"` };
  const api = str('api-version');
  if (api !== '7.x' && api !== '6.1') return { error: `--api-version must be 7.x or 6.1; got "${api}"` };
  const ds = str('data-standard');
  if (ds !== '4.0' && ds !== '5.x') return { error: `--data-standard must be 4.0 or 5.x; got "${ds}"` };
  const texas = str('texas');
  if (texas !== 'none' && texas !== '2024.2.1' && texas !== '2025.2.1' && texas !== '2026.2.1')
    return { error: `--texas must be 2024.2.1, 2025.2.1, 2026.2.1 or none; got "${texas}"` };
  let schoolYears: number[] | undefined;
  if (str('school-years') !== undefined) {
    schoolYears = str('school-years')!
      .split(',')
      .map((y) => Number(y.trim()));
    if (schoolYears.some((y) => !Number.isInteger(y) || y < 2000 || y > 2099))
      return { error: `--school-years must be years 2000–2099 separated by commas, e.g. 2024,2025; got "${str('school-years')}"` };
    if (values['year-specific'] !== true) return { error: '--school-years needs --year-specific' };
  }
  let tokenLifetimeSeconds: number | undefined;
  if (str('token-lifetime') !== undefined) {
    tokenLifetimeSeconds = Number(str('token-lifetime'));
    if (!Number.isInteger(tokenLifetimeSeconds) || tokenLifetimeSeconds < 1)
      return { error: `--token-lifetime must be a whole number of seconds, at least 1; got "${str('token-lifetime')}"` };
  }
  return {
    options: {
      port,
      host: str('host')!,
      apiVersion: api,
      dataStandard: ds,
      texasExtension: texas,
      ...(str('clients') !== undefined ? { clientsFile: str('clients')! } : {}),
      ...(str('snapshot') !== undefined ? { snapshotFile: str('snapshot')! } : {}),
      ...(str('faults') !== undefined ? { faultsFile: str('faults')! } : {}),
      ...(values['year-specific'] === true ? { yearSpecific: true } : {}),
      ...(schoolYears !== undefined ? { schoolYears } : {}),
      ...(str('admin-token') !== undefined ? { adminToken: str('admin-token')! } : {}),
      ...(tokenLifetimeSeconds !== undefined ? { tokenLifetimeSeconds } : {}),
      ...(values.strict === true ? { strict: true } : {}),
      ...(values['no-seed'] === true ? { seed: false } : {}),
    },
  };
}
