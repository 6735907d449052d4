/**
 * A local Ed-Fi ODS/API for `npm start`, tests and benchmarks, driven by the Ed-Fi model: ODS/API
 * 6.1 or 7.x behaviour, Data Standard 4.0 or 5.x, with or without the Texas extension. This file
 * wires the pieces — options, seed or snapshot, clients, faults — and routes each request:
 *
 *   /                      discovery (routes/metadata.ts)     /health
 *   /oauth/token[_info]    auth.ts                           /metadata/…   routes/metadata.ts
 *   /data/v3/…             routes/data.ts (+ changes.ts)     /changeQueries/v1/…
 *   /admin/…               routes/admin.ts (the sandbox's own controls)
 *
 * Year-specific instances put the school year before everything (7.x: `/2025/data/v3/…`) or after
 * `data/v3` (6.1: `/data/v3/2025/…`), one independent ODS per year. Plain node:http with keep-alive.
 */
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { Tokens, tokenEndpoint, tokenInfoEndpoint, type AuthDeps } from './auth.js';
import { ClientRegistry, fromOptions, loadClientsFile, type RegisteredClient } from './clients.js';
import type { Core } from './core.js';
import { Faults, loadFaultsFile, parseFaults, type FaultConfig } from './faults.js';
import { header, sendError, type RequestContext } from './http.js';
import { loadModel } from './model.js';
import { DEFAULT_CLIENT, DEFAULTS, type ApiVersion, type SandboxClient, type SandboxOptions } from './options.js';
import { adminRoute, type AdminDeps } from './routes/admin.js';
import { availableChangeVersions } from './routes/changes.js';
import { dataRoute } from './routes/data.js';
import { discovery, health, metadataRoute } from './routes/metadata.js';
import { seededClients, seededLeaIds, seedStore } from './seed.js';
import { readSnapshot, writeSnapshot } from './snapshot.js';
import { Store } from './store.js';

export { DEFAULT_CLIENT };
export type { ApiVersion, SandboxClient, SandboxOptions };
export type { FaultConfig, FaultRule } from './faults.js';

export interface Sandbox {
  readonly baseUrl: string;
  readonly apiVersion: ApiVersion;
  /** Records stored per resource path (e.g. `ed-fi/schools`), seed included; all years unless one is named. */
  count(resourcePath: string, schoolYear?: number): number;
  /** Replaces the fault configuration (as POST /admin/faults does). */
  setFaults(config: FaultConfig): void;
  /** Write requests (POST, PUT, DELETE) the data API has taken since start, answered or not: tells a test that sends are under way. */
  writeRequests(): number;
  /** Writes the snapshot file now (needs `snapshotFile`). */
  snapshot(): Promise<void>;
  close(): Promise<void>;
}

const EMPTY_QUERY = new URLSearchParams();
const SINGLE = 0;

function resolveClients(opts: SandboxOptions, defaultEdOrgs: readonly number[]): RegisteredClient[] {
  if (opts.clients === undefined && opts.clientsFile === undefined) return seededClients();
  const fromFile = opts.clientsFile !== undefined ? loadClientsFile(opts.clientsFile, defaultEdOrgs) : [];
  const given = opts.clients !== undefined ? fromOptions(opts.clients, defaultEdOrgs) : [];
  const byKey = new Map([...fromFile, ...given].map((c) => [c.key, c]));
  return [...byKey.values()];
}

function resolveFaults(opts: SandboxOptions): FaultConfig {
  const fromFile = opts.faultsFile !== undefined ? loadFaultsFile(opts.faultsFile) : {};
  const given = opts.faults !== undefined ? parseFaults(opts.faults, 'the faults option') : {};
  return { ...fromFile, ...given };
}

export async function startSandbox(opts: SandboxOptions = {}): Promise<Sandbox> {
  const version = opts.apiVersion ?? DEFAULTS.apiVersion;
  const dataStandard = opts.dataStandard ?? DEFAULTS.dataStandard;
  const texas = opts.texasExtension ?? DEFAULTS.texasExtension;
  const teds = texas === 'none' ? undefined : texas;
  const model = loadModel({ dataStandard, ...(teds !== undefined ? { teds } : {}) });
  const yearSpecific = opts.yearSpecific === true;
  const schoolYears = yearSpecific ? (opts.schoolYears ?? DEFAULTS.schoolYears) : [];
  const stores = new Map<number, Store>((yearSpecific ? schoolYears : [SINGLE]).map((y) => [y, new Store(model)]));
  const meta = { dataStandard, teds };

  const defaultEdOrgs = seededLeaIds();
  const clients = new ClientRegistry(resolveClients(opts, defaultEdOrgs));
  const faults = new Faults(resolveFaults(opts));
  const restored = opts.snapshotFile !== undefined ? await readSnapshot(opts.snapshotFile, stores, meta, clients) : false;
  if (!restored && opts.seed !== false) {
    for (const store of stores.values()) {
      const skipped = seedStore(store, model);
      if (skipped.length > 0) console.warn(`sandbox: ${skipped.length} seed document(s) do not fit the model and were skipped, e.g. ${skipped[0]}`);
    }
  }

  const tokens = new Tokens();
  const maxBodyBytes = opts.maxBodyBytes ?? DEFAULTS.maxBodyBytes;
  const auth: AuthDeps = {
    clients,
    tokens,
    lifetimeSeconds: () => faults.tokenLifetimeSeconds ?? opts.tokenLifetimeSeconds ?? DEFAULTS.tokenLifetimeSeconds,
    maxTokensPerClient: opts.maxTokensPerClient,
    maxBodyBytes,
    model,
  };
  const core: Core = {
    model,
    version,
    dataStandard,
    teds,
    strict: opts.strict === true,
    maxBodyBytes,
    pageLimit: DEFAULTS.pageSizeLimit,
    tokens,
    clients,
    faults,
    auth,
    yearSpecific,
    schoolYears,
  };

  let saving: Promise<void> | undefined;
  const mutations = () => [...stores.values()].reduce((n, s) => n + s.mutations, clients.mutations);
  let saved = mutations();
  const snapshot =
    opts.snapshotFile === undefined
      ? undefined
      : async (): Promise<void> => {
          // One write at a time; a request for another while one runs waits for it and writes again.
          while (saving !== undefined) await saving;
          const at = mutations();
          saving = writeSnapshot(opts.snapshotFile!, stores, meta, clients).finally(() => (saving = undefined));
          await saving;
          saved = at;
        };
  const admin: AdminDeps = {
    adminToken: opts.adminToken,
    defaultEdOrgs,
    storeFor: (y) => stores.get(yearSpecific ? (y ?? -1) : y === undefined ? SINGLE : -1),
    snapshot,
  };

  let origin = '';
  let writeRequests = 0;

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const raw = req.url ?? '/';
    const qi = raw.indexOf('?');
    const fullPath = qi < 0 ? raw : raw.slice(0, qi);
    const query = qi < 0 ? EMPTY_QUERY : new URLSearchParams(raw.slice(qi + 1));
    const method = req.method ?? 'GET';
    const correlationId = header(req, 'correlation-id') ?? query.get('correlationId') ?? randomUUID();
    const host = header(req, 'host');
    const requestOrigin = host !== undefined ? `http://${host}` : origin;
    let segments = fullPath.split('/').filter((s) => s !== '');
    const first = segments[0]?.toLowerCase();
    const context = (path: string, base: string, year: number | undefined): RequestContext => ({
      req,
      res,
      method,
      path,
      fullPath,
      query,
      correlationId,
      version,
      base,
      origin: requestOrigin,
      store: stores.get(year ?? SINGLE),
      year,
    });

    if (first === 'admin') return adminRoute(core, admin, context(fullPath, requestOrigin, undefined), segments.slice(1));

    const decision = faults.decide(method, fullPath);
    if (decision !== undefined) {
      if (decision.release !== undefined) res.once('close', decision.release);
      if (decision.latencyMs > 0) await new Promise((r) => setTimeout(r, decision.latencyMs));
      const c = context(fullPath, requestOrigin, undefined);
      switch (decision.action) {
        case 'reset':
          req.socket.destroy();
          return;
        case '429':
          return sendError(c, { kind: 'too-many-requests' });
        case '503':
          return sendError(c, { kind: 'unavailable' });
        case '500':
          return sendError(c, { kind: 'system' });
        default:
          break;
      }
    }

    // The school year: 7.x a root prefix (`/2025/…`), 6.1 after data/v3 (or changeQueries/v1).
    let year: number | undefined;
    let base = requestOrigin;
    if (yearSpecific && version === '7.x' && segments.length > 0 && /^\d{4}$/.test(segments[0])) {
      year = Number(segments[0]);
      base = `${requestOrigin}/${year}`;
      segments = segments.slice(1);
      if (segments.length > 0 && !stores.has(year))
        return sendError(context(fullPath, base, undefined), { kind: 'ods-instance-not-found', routeValues: `schoolYearFromRoute=${year}` });
    } else if (yearSpecific && version === '6.1') {
      const at = first === 'data' || first === 'changequeries' ? 2 : first === 'metadata' && segments[1]?.toLowerCase() === 'data' ? 3 : -1;
      if (at > 0 && /^\d{4}$/.test(segments[at] ?? '')) {
        year = Number(segments[at]);
        if (!stores.has(year))
          return sendError(context(fullPath, base, undefined), { kind: 'ods-instance-not-found', routeValues: `schoolYearFromRoute=${year}` });
        if (first !== 'metadata') segments = [...segments.slice(0, at), ...segments.slice(at + 1)];
      }
    }
    const c = context(segments.length > 0 ? `/${segments.join('/')}` : '/', base, year);
    const needsInstance = yearSpecific && year === undefined;
    const head = segments[0]?.toLowerCase();
    const notFound = () => sendError(c, { kind: 'path-not-found', path: fullPath });

    if (head === undefined) return method === 'GET' ? discovery(core, c) : sendError(c, { kind: 'method-not-allowed', method, variant: 'method' });
    if (head === 'health' && segments.length === 1) return health(c);
    if (head === 'oauth' && segments.length === 2) {
      if (version === '7.x' && needsInstance) return notFound();
      const what = segments[1].toLowerCase();
      if (what !== 'token' && !(what === 'token_info' && version === '7.x')) return notFound();
      if (method !== 'POST') return sendError(c, { kind: 'method-not-allowed', method, variant: 'method' });
      return what === 'token' ? tokenEndpoint(c, auth) : tokenInfoEndpoint(c, auth);
    }
    if (head === 'metadata' && method === 'GET') {
      if (version === '7.x' && needsInstance) return notFound();
      if (!metadataRoute(core, c, segments.slice(1))) return notFound();
      return;
    }
    if (head === 'changequeries' && segments[1]?.toLowerCase() === 'v1' && segments[2]?.toLowerCase() === 'availablechangeversions' && segments.length === 3) {
      if (needsInstance) return notFound();
      return method === 'GET' ? availableChangeVersions(core, c) : sendError(c, { kind: 'method-not-allowed', method, variant: 'method' });
    }
    if (head === 'data' && segments[1]?.toLowerCase() === 'v3') {
      if (needsInstance) return notFound();
      if (method !== 'GET') writeRequests++;
      return dataRoute(core, c, segments.slice(2));
    }
    return notFound();
  }

  const server = http.createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
    // However malformed the request, the answer is the API's error, never a crash.
    handle(req, res).catch((err: unknown) => {
      console.error('sandbox:', err);
      if (!res.headersSent) {
        sendError(
          {
            req,
            res,
            method: req.method ?? 'GET',
            path: '/',
            fullPath: '/',
            query: EMPTY_QUERY,
            correlationId: randomUUID(),
            version,
            base: origin,
            origin,
            store: undefined,
            year: undefined,
          },
          { kind: 'system' },
        );
      } else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = opts.host === undefined || opts.host === '0.0.0.0' || opts.host === '::' ? '127.0.0.1' : opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  origin = `http://${host}:${address.port}`;

  const sweeper = setInterval(() => tokens.sweep(), 60_000);
  sweeper.unref();
  const saver =
    snapshot !== undefined
      ? setInterval(() => {
          if (mutations() !== saved) snapshot().catch((err: unknown) => console.error('sandbox: snapshot failed:', err));
        }, opts.snapshotIntervalMs ?? DEFAULTS.snapshotIntervalMs)
      : undefined;
  saver?.unref();

  let closing: Promise<void> | undefined;
  return {
    baseUrl: origin,
    apiVersion: version,
    count: (path, schoolYear) => {
      const key = model.resource(path)?.path ?? path;
      if (schoolYear !== undefined) return stores.get(schoolYear)?.collection(key)?.size ?? 0;
      let n = 0;
      for (const s of stores.values()) n += s.collection(key)?.size ?? 0;
      return n;
    },
    setFaults: (config) => faults.set(parseFaults(config, 'the faults')),
    writeRequests: () => writeRequests,
    snapshot: async () => {
      if (snapshot === undefined) throw new Error('this sandbox has no snapshotFile');
      await snapshot();
    },
    close: () =>
      (closing ??= (async () => {
        clearInterval(sweeper);
        if (saver !== undefined) clearInterval(saver);
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        if (snapshot !== undefined) await snapshot();
      })()),
  };
}
