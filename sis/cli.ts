/**
 * `npm run sis -- <command>`: generate a district into the SIS replica, apply mutation days, or
 * just apply the schema. Arguments are checked before anything touches a database.
 */
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { DISTRICT_SIZES, DIRTY_PROFILES, parseDirtyProfiles, generateDistrict, type DistrictSize, type DirtyProfile } from './generate.js';
import { loadDistrict, SisNotEmptyError } from './load.js';
import { hrReplicaOf } from './hrReplica.js';
import { mutateDay, MutationRefused } from './mutate.js';
import { applySisSchema } from './schema.js';
import { redactUrl } from '../scripts/stack/postgres.js';

export const USAGE = `Usage: npm run sis -- <command> [options]

Commands:
  generate   Generate a district and load it into the SIS replica, or with --hr its HR system replica (one transaction)
  mutate     Apply one school day of changes (fills the event queue)
  schema     Create or complete the replica schema only
  help       Show this text

Options:
  --size <tiny|small|large|xl>   District size (generate; default small)
  --seed <n>                     Non-negative whole number (generate: default 1; mutate: default the generation's seed)
  --dirty <profile[,profile]>    Dirty-data profiles, repeatable; "all" for every one (generate)
  --replace                      Replace a district already in the database (generate)
  --hr                           Load the district's HR system replica instead: staff, employment, finance (generate; default $HR_DATABASE_URL)
  --day <n>                      School day after the generated as-of date, 1 = next day (mutate; required)
  --database-url <url>           Postgres URL (default: $SIS_DATABASE_URL)

Dirty profiles:
${Object.entries(DIRTY_PROFILES)
  .map(([name, text]) => `  ${name.padEnd(32)} ${text}`)
  .join('\n')}

Sizes: tiny (1 school, ~30 students), small (3 schools, ~600), large (60 schools, ~60,000), xl (198 schools, ~200,000).
`;

export type CliCommand =
  | { readonly command: 'help' }
  | { readonly command: 'schema'; readonly databaseUrl: string }
  | {
      readonly command: 'generate';
      readonly databaseUrl: string;
      readonly size: DistrictSize;
      readonly seed: number;
      readonly dirty: readonly DirtyProfile[];
      readonly replace: boolean;
      readonly hr: boolean;
    }
  | { readonly command: 'mutate'; readonly databaseUrl: string; readonly day: number; readonly seed: number | undefined };

export class CliError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliError';
  }
}

function wholeNumber(name: string, raw: string | undefined, min: number): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(Number(raw)) || Number(raw) < min)
    throw new CliError(`--${name} must be a whole number ${min === 0 ? '0 or more' : `from ${min}`}, got "${raw}"`);
  return Number(raw);
}

/** Turns argv (without node and script) into a command, or throws a CliError that says what to fix. */
export function parseCliArgs(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): CliCommand {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        size: { type: 'string' },
        seed: { type: 'string' },
        dirty: { type: 'string', multiple: true },
        replace: { type: 'boolean' },
        hr: { type: 'boolean' },
        day: { type: 'string' },
        'database-url': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new CliError(`${error instanceof Error ? error.message : String(error)}; see --help`);
  }
  const { values, positionals } = parsed;
  const command = positionals[0] ?? 'help';
  if (values.help === true || command === 'help') return { command: 'help' };
  if (positionals.length > 1) throw new CliError(`unexpected argument "${positionals[1]}"; options start with --`);
  if (command !== 'generate' && command !== 'mutate' && command !== 'schema')
    throw new CliError(`unknown command "${command}"; use generate, mutate, schema or help`);
  const hr = values.hr === true && command === 'generate';
  const databaseUrl = values['database-url'] ?? (hr ? env.HR_DATABASE_URL : env.SIS_DATABASE_URL);
  if (databaseUrl === undefined || databaseUrl === '')
    throw new CliError(`no database: pass --database-url postgres://… or set ${hr ? 'HR_DATABASE_URL' : 'SIS_DATABASE_URL'}`);
  if (!/^postgres(ql)?:\/\//.test(databaseUrl)) throw new CliError(`--database-url must be a postgres:// URL, got "${databaseUrl}"`);

  const onlyFor = (option: string, allowed: string): void => {
    if ((values as Record<string, unknown>)[option] !== undefined && command !== allowed)
      throw new CliError(`--${option} is for the ${allowed} command, not ${command}`);
  };
  for (const o of ['size', 'dirty', 'replace', 'hr']) onlyFor(o, 'generate');
  onlyFor('day', 'mutate');

  if (command === 'schema') {
    if (values.seed !== undefined) throw new CliError('--seed is for generate and mutate, not schema');
    return { command, databaseUrl };
  }
  if (command === 'generate') {
    const size = values.size ?? 'small';
    if (!(DISTRICT_SIZES as readonly string[]).includes(size)) throw new CliError(`--size must be one of ${DISTRICT_SIZES.join(', ')}, got "${size}"`);
    let dirty: DirtyProfile[];
    try {
      dirty = parseDirtyProfiles(values.dirty ?? []);
    } catch (error) {
      throw new CliError(`--dirty: ${error instanceof Error ? error.message : String(error)}`);
    }
    return { command, databaseUrl, size: size as DistrictSize, seed: wholeNumber('seed', values.seed, 0) ?? 1, dirty, replace: values.replace === true, hr };
  }
  const day = wholeNumber('day', values.day, 1);
  if (day === undefined) throw new CliError('mutate needs --day <n> (1 = the first school day after the generated district)');
  return { command, databaseUrl, day, seed: wholeNumber('seed', values.seed, 0) };
}

export async function runCli(argv: readonly string[], env: Readonly<Record<string, string | undefined>>, out: (line: string) => void): Promise<number> {
  let cmd: CliCommand;
  try {
    cmd = parseCliArgs(argv, env);
  } catch (error) {
    if (error instanceof CliError) {
      out(`sis: ${error.message}`);
      return 2;
    }
    throw error;
  }
  try {
    switch (cmd.command) {
      case 'help':
        out(USAGE);
        return 0;
      case 'schema':
        await applySisSchema(cmd.databaseUrl);
        out(`schema applied to ${redactUrl(cmd.databaseUrl)}`);
        return 0;
      case 'generate': {
        const t = Date.now();
        const district = generateDistrict({ size: cmd.size, seed: cmd.seed, dirty: cmd.dirty });
        const generatedMs = Date.now() - t;
        const loaded = await loadDistrict(cmd.databaseUrl, cmd.hr ? hrReplicaOf(district) : district, { replace: cmd.replace });
        out(
          `generated ${cmd.size} district${cmd.hr ? "'s HR system replica" : ''} (seed ${cmd.seed}${cmd.dirty.length > 0 ? `, dirty: ${cmd.dirty.join(', ')}` : ''}) in ${generatedMs} ms; loaded ${loaded.rows} rows in ${loaded.milliseconds} ms into ${redactUrl(cmd.databaseUrl)}`,
        );
        out(
          `as of ${district.asOfDate}: ${district.counts.school} schools, ${district.counts.enrollment} enrollments, ${district.counts.roster} rosters, ${district.counts.gradingscore} grades`,
        );
        for (const [profile, counts] of Object.entries(district.dirtyCounts))
          out(
            `  dirty ${profile}: ${Object.entries(counts)
              .map(([k, v]) => `${v} ${k}`)
              .join(', ')}`,
          );
        if (district.plannedChanges.length > 0) out(`  planned for the first mutation day: ${district.plannedChanges.map((c) => c.kind).join(', ')}`);
        return 0;
      }
      case 'mutate': {
        const s = await mutateDay(cmd.databaseUrl, { day: cmd.day, ...(cmd.seed === undefined ? {} : { seed: cmd.seed }) });
        out(
          `day ${s.day} (${s.date}): ${s.newEnrollments} new enrollments, ${s.withdrawals} withdrawals, ${s.scheduleChanges} schedule changes, ${s.newContacts} new contacts, ${s.gradePostings} grade postings, ${s.gradeChanges} grade changes, ${s.disciplineIncidents} discipline incidents, ${s.uniqueIdsAssigned} unique ids assigned, ${s.addressChanges} address changes${s.plannedChanges.length > 0 ? `, planned: ${s.plannedChanges.join(', ')}` : ''}; ${s.events} events queued`,
        );
        return 0;
      }
    }
  } catch (error) {
    if (error instanceof SisNotEmptyError || error instanceof MutationRefused) {
      out(`sis: ${error.message}`);
      return 1;
    }
    const code = (error as { code?: unknown }).code;
    if (code === 'ECONNREFUSED' || code === '3D000' || code === '28P01') {
      out(
        `sis: cannot use the database at ${'databaseUrl' in cmd ? redactUrl(cmd.databaseUrl) : '?'} (${error instanceof Error ? error.message : String(error)}); check --database-url / SIS_DATABASE_URL and that Postgres is running`,
      );
      return 1;
    }
    throw error;
  }
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  runCli(process.argv.slice(2), process.env, (line) => console.log(line)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
