/**
 * Faults on demand, off by default: 500/503/429 rates, added latency, connection resets, short
 * token lifetimes, "the ODS lost a record" (a written record silently dropped, so the next
 * reference to it 409s), and an ODS that degrades past a concurrency limit (`overload`: latency and
 * 503s rising with the requests in flight). Per route or global; deterministic — one seeded generator drawn in
 * request order, so the same run of requests meets the same faults.
 */
import { ConfigError, readJsonFile } from './config.js';

export interface FaultRule {
  /** `POST /data/v3/ed-fi/students`, `/data/v3/ed-fi/` (any method, path prefix), or absent/`*` for every request. Case-insensitive. */
  readonly route?: string;
  readonly error500?: number;
  readonly error503?: number;
  readonly error429?: number;
  /** Rate of connections destroyed without an answer. */
  readonly reset?: number;
  /** Added before answering, plus up to `jitterMs` more. */
  readonly latencyMs?: number;
  readonly jitterMs?: number;
  /** Rate at which a record just written (POST/PUT) is silently dropped. */
  readonly loseRecord?: number;
  /**
   * A loaded ODS past its capacity: with more than `inFlight` of this rule's requests being answered
   * at once, each request beyond it adds `latencyMs` to every answer and `error503` to the chance of
   * a 503 (5 beyond and error503 0.01: 5 %).
   */
  readonly overload?: Overload;
}

export interface Overload {
  readonly inFlight: number;
  readonly latencyMs?: number;
  readonly error503?: number;
}

export interface FaultConfig {
  readonly seed?: number;
  readonly rules?: readonly FaultRule[];
  /** Overrides the token lifetime while set. */
  readonly tokenLifetimeSeconds?: number;
}

export type FaultAction = 'reset' | '429' | '503' | '500';

export interface FaultDecision {
  readonly latencyMs: number;
  readonly action: FaultAction | undefined;
  /** Call when the request's answer is done: it no longer counts as in flight (overload rules). */
  readonly release?: () => void;
}

const RATES = ['error500', 'error503', 'error429', 'reset', 'loseRecord'] as const;

/** Checks a fault configuration; `where` names its source in messages. */
export function parseFaults(value: unknown, where: string): FaultConfig {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new ConfigError(`${where} must be an object like {"seed":1,"rules":[{"route":"POST /data/v3/ed-fi/students","error500":0.05}]}`);
  const v = value as Record<string, unknown>;
  for (const k of Object.keys(v))
    if (!['seed', 'rules', 'tokenLifetimeSeconds'].includes(k))
      throw new ConfigError(`${where} has an unknown field "${k}"; the fields are seed, rules, tokenLifetimeSeconds`);
  if (v.seed !== undefined && !Number.isInteger(v.seed)) throw new ConfigError(`${where}.seed must be an integer`);
  if (v.tokenLifetimeSeconds !== undefined && !(Number.isInteger(v.tokenLifetimeSeconds) && (v.tokenLifetimeSeconds as number) > 0))
    throw new ConfigError(`${where}.tokenLifetimeSeconds must be a positive whole number of seconds`);
  if (v.rules !== undefined && !Array.isArray(v.rules)) throw new ConfigError(`${where}.rules must be an array of rules`);
  const rules = ((v.rules as unknown[] | undefined) ?? []).map((r, i) => parseRule(r, `${where}.rules[${i}]`));
  return {
    ...(v.seed !== undefined ? { seed: v.seed as number } : {}),
    rules,
    ...(v.tokenLifetimeSeconds !== undefined ? { tokenLifetimeSeconds: v.tokenLifetimeSeconds as number } : {}),
  };
}

function parseRule(value: unknown, where: string): FaultRule {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new ConfigError(`${where} must be an object like {"route":"POST /data/v3/ed-fi/students","error503":0.1}`);
  const r = value as Record<string, unknown>;
  const known = ['route', ...RATES, 'latencyMs', 'jitterMs', 'overload'];
  for (const k of Object.keys(r)) if (!known.includes(k)) throw new ConfigError(`${where} has an unknown field "${k}"; the fields are ${known.join(', ')}`);
  if (r.route !== undefined && (typeof r.route !== 'string' || !/^(\*|([A-Za-z]+ )?\/\S*)$/.test(r.route)))
    throw new ConfigError(`${where}.route must look like "POST /data/v3/ed-fi/students", "/data/v3/" or "*"; got ${JSON.stringify(r.route)}`);
  for (const k of RATES) {
    const x = r[k];
    if (x !== undefined && !(typeof x === 'number' && x >= 0 && x <= 1))
      throw new ConfigError(`${where}.${k} must be a rate between 0 and 1 (0.05 = 5% of requests); got ${JSON.stringify(x)}`);
  }
  for (const k of ['latencyMs', 'jitterMs'] as const) {
    const x = r[k];
    if (x !== undefined && !(typeof x === 'number' && x >= 0 && x <= 600_000))
      throw new ConfigError(`${where}.${k} must be milliseconds between 0 and 600000; got ${JSON.stringify(x)}`);
  }
  if (r.overload !== undefined) parseOverload(r.overload, `${where}.overload`);
  return r;
}

function parseOverload(value: unknown, where: string): void {
  const example = '{"inFlight":40,"latencyMs":2,"error503":0.004}';
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ConfigError(`${where} must be an object like ${example}`);
  const o = value as Record<string, unknown>;
  for (const k of Object.keys(o))
    if (!['inFlight', 'latencyMs', 'error503'].includes(k))
      throw new ConfigError(`${where} has an unknown field "${k}"; the fields are inFlight, latencyMs, error503`);
  if (!(Number.isInteger(o.inFlight) && (o.inFlight as number) >= 1))
    throw new ConfigError(`${where}.inFlight must be a whole number of requests, at least 1 (the ODS's capacity); got ${JSON.stringify(o.inFlight)}`);
  if (o.latencyMs !== undefined && !(typeof o.latencyMs === 'number' && o.latencyMs >= 0 && o.latencyMs <= 60_000))
    throw new ConfigError(`${where}.latencyMs must be milliseconds per request beyond inFlight, between 0 and 60000; got ${JSON.stringify(o.latencyMs)}`);
  if (o.error503 !== undefined && !(typeof o.error503 === 'number' && o.error503 >= 0 && o.error503 <= 1))
    throw new ConfigError(`${where}.error503 must be a rate per request beyond inFlight, between 0 and 1; got ${JSON.stringify(o.error503)}`);
}

export function loadFaultsFile(file: string): FaultConfig {
  return parseFaults(readJsonFile(file, 'The faults file'), file);
}

/** sfc-like small PRNG (mulberry32): fast, seedable, good enough for fault rates. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface CompiledRule {
  readonly rule: FaultRule;
  readonly method: string | undefined;
  readonly prefix: string;
  /** This rule's requests being answered now (overload rules). */
  inFlight: number;
}

export class Faults {
  private rules: CompiledRule[] = [];
  private random: () => number = mulberry32(1);
  private current: FaultConfig = {};

  constructor(config?: FaultConfig) {
    if (config !== undefined) this.set(config);
  }

  set(config: FaultConfig): void {
    this.current = config;
    this.random = mulberry32(config.seed ?? 1);
    this.rules = (config.rules ?? []).map((rule) => {
      const route = rule.route === undefined || rule.route === '*' ? '/' : rule.route;
      const space = route.indexOf(' ');
      return {
        rule,
        method: space > 0 ? route.slice(0, space).toUpperCase() : undefined,
        prefix: (space > 0 ? route.slice(space + 1) : route).toLowerCase(),
        inFlight: 0,
      };
    });
  }

  get config(): FaultConfig {
    return this.current;
  }

  get tokenLifetimeSeconds(): number | undefined {
    return this.current.tokenLifetimeSeconds;
  }

  get active(): boolean {
    return this.rules.length > 0;
  }

  private matching(method: string, path: string): CompiledRule[] {
    const lower = path.toLowerCase();
    return this.rules.filter((r) => (r.method === undefined || r.method === method) && lower.startsWith(r.prefix));
  }

  /** What happens to this request before it is handled. */
  decide(method: string, path: string): FaultDecision | undefined {
    if (this.rules.length === 0) return undefined;
    let latencyMs = 0;
    let action: FaultAction | undefined;
    const counted: CompiledRule[] = [];
    for (const compiled of this.matching(method, path)) {
      const { rule } = compiled;
      latencyMs += (rule.latencyMs ?? 0) + (rule.jitterMs !== undefined ? this.random() * rule.jitterMs : 0);
      if (rule.overload !== undefined) {
        counted.push(compiled);
        const beyond = Math.max(0, ++compiled.inFlight - rule.overload.inFlight);
        latencyMs += beyond * (rule.overload.latencyMs ?? 0);
        const rate = Math.min(1, beyond * (rule.overload.error503 ?? 0));
        if (action === undefined && rate > 0 && this.random() < rate) action = '503';
      }
      const draws: [number | undefined, FaultAction][] = [
        [rule.reset, 'reset'],
        [rule.error429, '429'],
        [rule.error503, '503'],
        [rule.error500, '500'],
      ];
      for (const [rate, a] of draws) if (action === undefined && rate !== undefined && rate > 0 && this.random() < rate) action = a;
    }
    const release =
      counted.length === 0
        ? undefined
        : () => {
            for (const c of counted) c.inFlight--;
          };
    return latencyMs > 0 || action !== undefined || release !== undefined ? { latencyMs, action, ...(release !== undefined ? { release } : {}) } : undefined;
  }

  /** Whether the record a successful write just stored should be dropped. */
  loseRecord(method: string, path: string): boolean {
    if (this.rules.length === 0) return false;
    for (const { rule } of this.matching(method, path))
      if (rule.loseRecord !== undefined && rule.loseRecord > 0 && this.random() < rule.loseRecord) return true;
    return false;
  }
}
