/** What a sandbox instance is started with, and the defaults that make it work out of the box. */
import type { DataStandard, TedsVersion } from '../edfi/model/types.js';
import type { FaultConfig } from './faults.js';

/** ODS/API behaviour: 6.1 answers legacy `{"message": …}` errors, 7.x Problem Details with 7.2+ texts. */
export type ApiVersion = '6.1' | '7.x';

export interface SandboxClient {
  readonly key: string;
  readonly secret: string;
  /** Claim set name (see claims.ts); "Ed-Fi Sandbox" when absent. */
  readonly claimSet?: string;
  /** Education organizations the client is associated with; the seeded demo LEA when absent. */
  readonly educationOrganizationIds?: readonly number[];
  /** Namespace prefixes for namespace-based authorization (descriptors). */
  readonly namespacePrefixes?: readonly string[];
  /** An unapproved client's credentials are refused like wrong ones. */
  readonly approved?: boolean;
}

export interface SandboxOptions {
  readonly port?: number;
  readonly host?: string;
  /** Default 7.x. */
  readonly apiVersion?: ApiVersion;
  /** Default 4.0. */
  readonly dataStandard?: DataStandard;
  /** Texas extension version; 'none' for plain Ed-Fi. Default 2025.2.1. */
  readonly texasExtension?: TedsVersion | 'none';
  /** API clients; replaces the seeded ones (sandbox/seed/clients.json). */
  readonly clients?: readonly SandboxClient[];
  /** A JSON file of clients (`{"clients":[…]}` or an array); replaces the seeded ones. */
  readonly clientsFile?: string;
  /** Bearer token lifetime in seconds (the shipped ODS/API: 1800). */
  readonly tokenLifetimeSeconds?: number;
  /** Live tokens per client (ODS/API 7.3: 15); unlimited when absent. */
  readonly maxTokensPerClient?: number;
  /** One ODS per school year: `/{year}/data/v3/…` (7.x) or `/data/v3/{year}/…` (6.1). */
  readonly yearSpecific?: boolean;
  /** The school years that have an ODS when year-specific. Default 2024–2026. */
  readonly schoolYears?: readonly number[];
  /** Load sandbox/seed/ on start (descriptors, school years, the demo district, courses). Default true. */
  readonly seed?: boolean;
  /** Keep data across restarts: loaded on start, written on close and every `snapshotIntervalMs`. */
  readonly snapshotFile?: string;
  readonly snapshotIntervalMs?: number;
  /** Faults on demand (off by default); also settable at runtime with POST /admin/faults. */
  readonly faults?: FaultConfig;
  readonly faultsFile?: string;
  /** Guards /admin/* (as `Authorization: Bearer <adminToken>`); without it /admin/* answers loopback callers only. */
  readonly adminToken?: string;
  /** Reject unknown properties (the ODS ignores them). */
  readonly strict?: boolean;
  /** Largest request body accepted (Kestrel's default: 30,000,000 bytes). */
  readonly maxBodyBytes?: number;
}

/** A documented local key and secret that work out of the box (never use them anywhere else). */
export const DEFAULT_CLIENT: SandboxClient = { key: 'sandbox-key', secret: 'sandbox-secret' };

export const DEFAULTS = {
  apiVersion: '7.x' as ApiVersion,
  dataStandard: '4.0' as DataStandard,
  texasExtension: '2025.2.1' as TedsVersion,
  tokenLifetimeSeconds: 1800,
  schoolYears: [2024, 2025, 2026] as readonly number[],
  snapshotIntervalMs: 60_000,
  maxBodyBytes: 30_000_000,
  pageSizeLimit: 500,
  claimSet: 'Ed-Fi Sandbox',
};
