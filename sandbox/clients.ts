/**
 * API clients (key, secret, claim set, ed-orgs, namespace prefixes): from sandbox/seed/clients.json,
 * the `clients` option, a clients file, or POST /admin/clients. Every bad entry is refused with a
 * message that says which entry and what to write instead.
 */
import { ConfigError, readJsonFile } from './config.js';
import { CLAIM_SET_NAMES } from './claims.js';
import { DEFAULTS, type SandboxClient } from './options.js';

export { ConfigError, readJsonFile };

export interface RegisteredClient {
  readonly key: string;
  readonly secret: string;
  readonly claimSet: string;
  readonly educationOrganizationIds: readonly number[];
  readonly namespacePrefixes: readonly string[];
  readonly approved: boolean;
}

export const DEFAULT_NAMESPACES: readonly string[] = ['uri://ed-fi.org', 'uri://tea.texas.gov'];

const EXAMPLE =
  '{"clients":[{"key":"my-key","secret":"my-secret","claimSet":"SIS Vendor","educationOrganizationIds":[149913],"namespacePrefixes":["uri://ed-fi.org"]}]}';

/** One client entry checked and completed with defaults; `where` names it in messages (e.g. `clients.json: clients[2]`). */
export function normalizeClient(raw: unknown, where: string, defaultEdOrgs: readonly number[]): RegisteredClient {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new ConfigError(`${where} must be an object like {"key":"my-key","secret":"my-secret","claimSet":"SIS Vendor","educationOrganizationIds":[149913]}`);
  const c = raw as Record<string, unknown>;
  const known = new Set(['key', 'secret', 'claimSet', 'educationOrganizationIds', 'namespacePrefixes', 'approved']);
  for (const k of Object.keys(c)) if (!known.has(k)) throw new ConfigError(`${where} has an unknown field "${k}"; the fields are ${[...known].join(', ')}`);
  if (typeof c.key !== 'string' || c.key.trim() === '') throw new ConfigError(`${where}.key must be a non-empty string (the client id)`);
  if (typeof c.secret !== 'string' || c.secret === '') throw new ConfigError(`${where}.secret must be a non-empty string`);
  if (c.claimSet !== undefined && (typeof c.claimSet !== 'string' || !CLAIM_SET_NAMES.includes(c.claimSet))) {
    throw new ConfigError(
      `${where}.claimSet ${JSON.stringify(c.claimSet)} is not a claim set this sandbox knows; use one of: ${CLAIM_SET_NAMES.map((n) => `"${n}"`).join(', ')}`,
    );
  }
  const ids = c.educationOrganizationIds;
  if (ids !== undefined && (!Array.isArray(ids) || !ids.every((x) => Number.isInteger(x) && (x as number) > 0))) {
    throw new ConfigError(`${where}.educationOrganizationIds must be an array of positive integers, e.g. [149913]; got ${JSON.stringify(ids)}`);
  }
  const ns = c.namespacePrefixes;
  if (ns !== undefined && (!Array.isArray(ns) || !ns.every((x) => typeof x === 'string' && x !== ''))) {
    throw new ConfigError(`${where}.namespacePrefixes must be an array of strings, e.g. ["uri://ed-fi.org"]; got ${JSON.stringify(ns)}`);
  }
  if (c.approved !== undefined && typeof c.approved !== 'boolean') throw new ConfigError(`${where}.approved must be true or false`);
  return {
    key: c.key,
    secret: c.secret,
    claimSet: c.claimSet ?? DEFAULTS.claimSet,
    educationOrganizationIds: (ids as number[] | undefined) ?? defaultEdOrgs,
    namespacePrefixes: (ns as string[] | undefined) ?? DEFAULT_NAMESPACES,
    approved: c.approved ?? true,
  };
}

/** `{"clients":[…]}` or a bare array, each entry checked. */
export function parseClients(value: unknown, where: string, defaultEdOrgs: readonly number[]): RegisteredClient[] {
  const list = Array.isArray(value) ? value : typeof value === 'object' && value !== null ? (value as { clients?: unknown }).clients : undefined;
  if (!Array.isArray(list)) throw new ConfigError(`${where} must hold {"clients":[…]} or an array of clients, e.g. ${EXAMPLE}`);
  const out = list.map((c, i) => normalizeClient(c, `${where}: clients[${i}]`, defaultEdOrgs));
  const keys = new Set<string>();
  for (const [i, c] of out.entries()) {
    if (keys.has(c.key)) throw new ConfigError(`${where}: clients[${i}].key "${c.key}" appears twice; each client needs its own key`);
    keys.add(c.key);
  }
  return out;
}

export function loadClientsFile(file: string, defaultEdOrgs: readonly number[]): RegisteredClient[] {
  return parseClients(readJsonFile(file, 'The clients file'), file, defaultEdOrgs);
}

export function fromOptions(clients: readonly SandboxClient[], defaultEdOrgs: readonly number[]): RegisteredClient[] {
  return parseClients([...clients], 'the clients option', defaultEdOrgs);
}

export class ClientRegistry {
  private readonly byKey = new Map<string, RegisteredClient>();
  /** What the admin endpoints changed since start (a client, or null for removed): kept with the snapshot. */
  private readonly changed = new Map<string, RegisteredClient | null>();
  /** Counts changes, so the snapshot writer notices one. */
  mutations = 0;
  constructor(clients: readonly RegisteredClient[]) {
    for (const c of clients) this.byKey.set(c.key, c);
  }
  get(key: string): RegisteredClient | undefined {
    return this.byKey.get(key);
  }
  put(client: RegisteredClient): boolean {
    const existed = this.byKey.has(client.key);
    this.byKey.set(client.key, client);
    this.changed.set(client.key, client);
    this.mutations++;
    return existed;
  }
  remove(key: string): boolean {
    const existed = this.byKey.delete(key);
    if (existed) {
      this.changed.set(key, null);
      this.mutations++;
    }
    return existed;
  }
  list(): RegisteredClient[] {
    return [...this.byKey.values()];
  }
  /** The admin changes, for the snapshot. */
  changes(): ReadonlyMap<string, RegisteredClient | null> {
    return this.changed;
  }
  /** Replays changes kept in a snapshot over the configured clients. */
  restore(key: string, client: RegisteredClient | null): void {
    if (client === null) this.byKey.delete(key);
    else this.byKey.set(key, client);
    this.changed.set(key, client);
  }
}
