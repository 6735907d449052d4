/**
 * Where a profile's SIS or HR data comes from. On a deployment of many districts each district (LEA)
 * has its own replica, entered by the deployment's IT and stored sealed (its URL holds a password);
 * a profile of that district reads it. A profile of no district, or of a district without one, reads
 * the deployment's replica (SIS_DATABASE_URL, HR_DATABASE_URL) as a single-district deployment does.
 */
import type { MikroORM } from '@mikro-orm/postgresql';
import pg from 'pg';
import { REPLICA_OF, type ProfileType } from '../publishing/profileSettings.js';
import { LeaSchema } from './entities/configuration.js';
import { resilientPool } from './pool.js';
import type { SecretBox } from './secrets.js';

export type ReplicaKind = (typeof REPLICA_OF)[ProfileType];

export interface ReplicaSource {
  /** The pool a profile reads from, or undefined when there is none (the caller says what to set). */
  forProfile(profile: { readonly leaId: string | null; readonly profileType: ProfileType }): Promise<pg.Pool | undefined>;
  /** Ends the districts' pools (not the deployment's: their owner ends them). */
  close(): Promise<void>;
}

export function replicaSource(deps: {
  readonly orm: MikroORM;
  readonly secrets: SecretBox;
  readonly sis?: pg.Pool | undefined;
  readonly hr?: pg.Pool | undefined;
  /** Connections per district replica. */
  readonly max: number;
}): ReplicaSource {
  // One pool per district and kind, rebuilt when its URL changes (the fingerprint, not the URL, is kept in clear).
  const pools = new Map<string, { fingerprint: string; pool: pg.Pool }>();
  return {
    async forProfile(profile) {
      const kind = REPLICA_OF[profile.profileType];
      const deployment = kind === 'hr' ? deps.hr : deps.sis;
      if (profile.leaId === null) return deployment;
      // Lazy columns: sealed URLs are read here only, never with the LEA's other fields.
      const lea = await deps.orm.em.fork().findOne(LeaSchema, { id: profile.leaId }, { populate: ['sisReplicaSealed', 'hrReplicaSealed'] });
      const sealed = kind === 'hr' ? lea?.hrReplicaSealed : lea?.sisReplicaSealed;
      if (sealed === null || sealed === undefined) return deployment;
      const url = deps.secrets.open(sealed);
      const key = `${profile.leaId}|${kind}`;
      const fingerprint = deps.secrets.fingerprint(url);
      const held = pools.get(key);
      if (held?.fingerprint === fingerprint) return held.pool;
      if (held !== undefined) void held.pool.end();
      const pool = resilientPool({ connectionString: url, max: deps.max, label: `${kind === 'hr' ? 'HR' : 'SIS'} replica of LEA ${profile.leaId}` });
      pools.set(key, { fingerprint, pool });
      return pool;
    },
    async close() {
      await Promise.all([...pools.values()].map((p) => p.pool.end()));
      pools.clear();
    },
  };
}

/** The LEA numbers a replica holds (its `district` table), or why it could not be read: what a district's IT entered is checked before it is kept. */
export async function districtsInReplica(url: string): Promise<{ numbers: string[] } | { unreadable: string }> {
  let client: pg.Client | undefined;
  try {
    // Inside: a URL that cannot be parsed throws here, and is a bad input, not a server error.
    client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000, statement_timeout: 5_000 });
    client.on('error', () => undefined);
    await client.connect();
    const rows = await client.query<{ number: string }>('SELECT number FROM district ORDER BY number');
    return { numbers: rows.rows.map((r) => r.number) };
  } catch (err) {
    // The code and message only: never the URL, which holds the password.
    const e = err as Error & { code?: string };
    return {
      unreadable:
        e.code === '42P01'
          ? 'it has no district table: is it a SIS or HR replica of this exchange?'
          : `${e.code !== undefined ? `${e.code}: ` : ''}${e.message}`,
    };
  } finally {
    await client?.end().catch(() => undefined);
  }
}
