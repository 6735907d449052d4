import { describe, expect, it } from 'vitest';
import { parseCliArgs, CliError } from './cli.js';

const env = { SIS_DATABASE_URL: 'postgres://u@127.0.0.1:5432/sis' };

describe('sis CLI arguments', () => {
  it('reads a generate command with repeated and comma-separated dirty profiles', () => {
    expect(
      parseCliArgs(
        [
          'generate',
          '--size',
          'tiny',
          '--seed',
          '7',
          '--dirty',
          'calendar-without-type,school-number-change',
          '--dirty',
          'missing-student-unique-id',
          '--replace',
        ],
        env,
      ),
    ).toEqual({
      command: 'generate',
      databaseUrl: env.SIS_DATABASE_URL,
      size: 'tiny',
      seed: 7,
      replace: true,
      hr: false,
      dirty: ['missing-student-unique-id', 'calendar-without-type', 'school-number-change'],
    });
  });

  it('loads the HR system replica with --hr, into HR_DATABASE_URL by default', () => {
    expect(parseCliArgs(['generate', '--hr'], { ...env, HR_DATABASE_URL: 'postgres://x@127.0.0.1/hr' })).toMatchObject({
      hr: true,
      databaseUrl: 'postgres://x@127.0.0.1/hr',
    });
    expect(() => parseCliArgs(['generate', '--hr'], { SIS_DATABASE_URL: 'postgres://x@127.0.0.1/sis' })).toThrow(/set HR_DATABASE_URL/);
    expect(() => parseCliArgs(['mutate', '--day', '1', '--hr'], env)).toThrow(/--hr is for the generate command/);
  });

  it('defaults to the small district with seed 1 and the URL from SIS_DATABASE_URL', () => {
    expect(parseCliArgs(['generate'], env)).toMatchObject({ size: 'small', seed: 1, dirty: [], replace: false, databaseUrl: env.SIS_DATABASE_URL });
  });

  it('prefers --database-url over the environment', () => {
    expect(parseCliArgs(['mutate', '--day', '3', '--database-url', 'postgresql://x@127.0.0.1/other'], env)).toEqual({
      command: 'mutate',
      day: 3,
      seed: undefined,
      databaseUrl: 'postgresql://x@127.0.0.1/other',
    });
  });

  it.each([
    [['generate', '--size', 'huge'], /--size must be one of tiny, small, large, xl/],
    [['generate', '--seed=-1'], /--seed must be a whole number 0 or more, got "-1"/],
    [['generate', '--seed', 'abc'], /--seed must be a whole number 0 or more, got "abc"/],
    [['generate', '--dirty', 'messy'], /unknown dirty profile "messy"; choose from: all, missing-student-unique-id/],
    [['mutate'], /mutate needs --day <n>/],
    [['mutate', '--day', '0'], /--day must be a whole number from 1/],
    [['mutate', '--day', '2', '--size', 'tiny'], /--size is for the generate command, not mutate/],
    [['generate', '--colour', 'red'], /Unknown option '--colour'.*see --help/],
    [['publish'], /unknown command "publish"/],
  ])('refuses %j with a message that says what to fix', (argv, message) => {
    expect(() => parseCliArgs(argv, env)).toThrow(CliError);
    expect(() => parseCliArgs(argv, env)).toThrow(message);
  });

  it('asks for a database when neither --database-url nor SIS_DATABASE_URL is given', () => {
    expect(() => parseCliArgs(['generate'], {})).toThrow(/pass --database-url postgres:\/\/… or set SIS_DATABASE_URL/);
  });

  it('shows help without needing a database', () => {
    expect(parseCliArgs([], {})).toEqual({ command: 'help' });
    expect(parseCliArgs(['generate', '--help'], {})).toEqual({ command: 'help' });
  });
});
