/** What every publishing activity works over: the app database, the SIS replica, the profiles' runtimes and the switches. */
import { ApplicationFailure } from '@temporalio/common';
import type pg from 'pg';
import { type HoldSwitches } from '../../publishing/holds.js';
import { BasicSettingsSchema } from '../../db/entities/configuration.js';
import { enabledConnectionOf } from '../../db/profiles.js';
import { replicaSource } from '../../db/replicas.js';
import { ProfileSchema } from '../../db/entities/profile.js';
import { sendThread } from './sendThread.js';
import type { ActivityDeps } from '../deps.js';
import { type ProfileRuntime, RUNTIME_FRESH_MS } from './shared.js';
import { Semaphore } from './connectionLimit.js';
import { FirstSends } from './firstSends.js';
import { LaneFirst } from './laneFirst.js';
import { modelOf } from '../../publishing/profileModel.js';
import { odsPeers, writeOutcomes, type CatalogWrite } from '../../db/catalog.js';
import { REPLICA_OF, type ProfileType } from '../../publishing/profileSettings.js';

export interface Engine {
  readonly deps: ActivityDeps;
  /** The app database (the worker's pool). */
  readonly db: pg.Pool;
  /**
   * Runs `fn` holding one app-database connection for its whole length (a transaction, a stage it
   * plans on). At most the pool's size less two are held at once: a holder's other statements
   * (`db.query`) need a free connection, and as many holders as connections, each waiting for one
   * more, would wait for ever — as 19 districts' runs extracting at once did.
   */
  withHeldConnection<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T>;
  /** The replica a profile reads (its SIS, or for HR-only profiles its HR system): its district's own, else the deployment's (db/replicas.ts); refuses with what to set when there is none. */
  source(profile: SourcedProfile): Promise<pg.Pool>;
  /** The profile as publishing needs it (model, its ODS lane), cached briefly, cached briefly. */
  runtime(profileId: string, read?: 'cached' | 'fresh'): Promise<ProfileRuntime>;
  /** Basic Settings' and Diagnostics' switches. */
  switches(): Promise<HoldSwitches>;
  /** The dependency lane's activities go first: a profile's other batches wait while its bulk wake works (laneFirst.ts). */
  readonly laneFirst: LaneFirst;
  /** A streamed extract waits, briefly, for its first batch to begin sending (firstSends.ts). */
  readonly firstSends: FirstSends;
  /** Writes a batch's catalog outcomes (db writeOutcomes) and counts them for the metrics. */
  writeOutcomes(profileId: string, schoolYear: number, resource: string, writes: readonly CatalogWrite[], stageRunId?: string | null): Promise<void>;
}

/** What choosing a profile's replica reads of it. */
export type SourcedProfile = { readonly name: string; readonly profileType: ProfileType; readonly leaId: string | null };

/** How many connections activities may hold at once: the pool's size less two, kept for the statements they run beside them. */
export function heldConnectionsOf(pool: pg.Pool): number {
  return Math.max(1, (pool.options.max ?? 10) - 2);
}

export function createEngine(deps: ActivityDeps): Engine {
  const { db } = deps;
  const runtimes = new Map<string, ProfileRuntime>();

  const replicas = deps.replicas ?? replicaSource({ orm: deps.orm, secrets: deps.secrets, sis: deps.sis, hr: deps.hr, max: 8 });
  const source = async (profile: SourcedProfile): Promise<pg.Pool> => {
    const pool = await replicas.forProfile(profile);
    if (pool !== undefined) return pool;
    const orDistrict = profile.leaId === null ? '' : `, or the replica of its district (PUT /api/leas/${profile.leaId}/replicas)`;
    if (REPLICA_OF[profile.profileType] === 'hr')
      throw ApplicationFailure.nonRetryable(
        `profile "${profile.name}" is HR-only and reads the district's HR system replica, which the worker has none of: set HR_DATABASE_URL${orDistrict}`,
      );
    throw ApplicationFailure.nonRetryable(`the worker has no SIS replica for profile "${profile.name}": set SIS_DATABASE_URL${orDistrict}`);
  };

  /** When each profile's runtime was last read from the database. */
  const readAt = new Map<string, number>();

  /**
   * The profile's API client, one per profile and credentials, sized by Simultaneous Connections.
   * Read again at most every RUNTIME_FRESH_MS (or now, with `fresh`): a run's many batches share
   * one read, and a changed profile, secret or connection count is picked up within that time.
   */
  const runtime = async (profileId: string, read: 'cached' | 'fresh' = 'cached'): Promise<ProfileRuntime> => {
    const held = runtimes.get(profileId);
    if (read === 'cached' && held !== undefined && Date.now() - (readAt.get(profileId) ?? 0) < RUNTIME_FRESH_MS) return held;
    const em = deps.orm.em.fork();
    // The settings and the ODS peers are read beside the profile (a Data Changes run's preparation
    // reads its runtime fresh: round trips on a burst's way to its first POST); only the connection waits for it.
    const settingsRead = deps.orm.em.fork().findOne(BasicSettingsSchema, { id: 1 });
    const peersRead = odsPeers(db, profileId);
    for (const read of [settingsRead, peersRead]) read.catch(() => undefined);
    const profile = await em.findOne(ProfileSchema, { id: profileId });
    if (profile === null) throw ApplicationFailure.nonRetryable(`no profile "${profileId}"`);
    if (profile.apiUrl === null) throw ApplicationFailure.nonRetryable(`profile "${profile.name}" has no Data Exchange (API) URL: set it first`);
    const connection = await enabledConnectionOf(em, profile);
    if (connection === null)
      throw ApplicationFailure.nonRetryable(`profile "${profile.name}" has no enabled LEA connection: enter the key and secret, Test, then Enable`);
    const settings = await settingsRead;
    const connections = settings?.simultaneousConnections ?? 200;
    const adaptive = settings?.adaptiveConnections ?? true;
    const fingerprint = `${profile.apiUrl}|${profile.authUrl ?? ''}|${connection.secretFingerprint}|${connections}|${adaptive}|${profile.dataStandard}|${profile.stateExtension}`;
    const peers = await peersRead;
    readAt.set(profileId, Date.now());
    if (held !== undefined && held.fingerprint === fingerprint) {
      const updated = { ...held, profile, peers };
      runtimes.set(profileId, updated);
      return updated;
    }
    if (held !== undefined) void held.ods.close();
    const ods = sendThread.lane(
      {
        apiUrl: profile.apiUrl,
        ...(profile.authUrl !== null ? { authUrl: profile.authUrl } : {}),
        key: connection.key,
        secret: deps.secrets.open(connection.secretEncrypted),
        connections,
        ...(deps.metrics !== undefined ? { observe: deps.metrics.odsRequest.bind(undefined, profileId) } : {}),
      },
      connections,
      adaptive,
    );
    const made: ProfileRuntime = { profile, model: modelOf(profile), ods, fingerprint, peers };
    runtimes.set(profileId, made);
    return made;
  };

  deps.metrics?.watchConnections(() => [...runtimes].map(([profile, rt]) => ({ profile, inFlight: rt.ods.inFlight, limit: rt.ods.size })));

  const switches = async (): Promise<HoldSwitches> => deps.orm.em.fork().findOneOrFail(BasicSettingsSchema, { id: 1 });

  const write = async (
    profileId: string,
    schoolYear: number,
    resource: string,
    writes: readonly CatalogWrite[],
    stageRunId: string | null = null,
  ): Promise<void> => {
    await writeOutcomes(db, profileId, schoolYear, resource, writes, stageRunId);
    deps.metrics?.outcomes(
      profileId,
      resource,
      writes.map((w) => w.status),
    );
  };

  const holders = new Semaphore(heldConnectionsOf(db));
  const withHeldConnection = <T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> =>
    holders.run(async () => {
      const client = await db.connect();
      try {
        return await fn(client);
      } finally {
        client.release();
      }
    });

  return {
    deps,
    db,
    source,
    runtime,
    switches,
    writeOutcomes: write,
    withHeldConnection,
    laneFirst: new LaneFirst(200, 10_000, (profileId, ms) => deps.metrics?.laneGaveWay(profileId, ms / 1000)),
    firstSends: new FirstSends(),
  };
}
