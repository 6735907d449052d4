/**
 * Reads an Ed-Fi API's discovery document (`GET {base}/`) for what the profile should target:
 * the ODS/API generation, the Data Standard, and a Texas extension version when it names one.
 */
import { request } from 'undici';

export interface DiscoveredApi {
  readonly odsApiVersion?: '6.1' | '7.x';
  readonly dataStandard?: '4.0' | '5.x';
  readonly stateExtension?: 'none' | 'TX-2024.2.1' | 'TX-2025.2.1' | 'TX-2026.2.1';
  /** The raw `version`, e.g. "7.2", for messages. */
  readonly version?: string;
}

interface DataModel {
  name?: unknown;
  version?: unknown;
}

/** Pure: what a discovery document says, leaving out what it does not say. */
export function readDiscovery(doc: unknown): DiscoveredApi {
  if (typeof doc !== 'object' || doc === null) return {};
  const d = doc as { version?: unknown; dataModels?: unknown };
  const version = typeof d.version === 'string' ? d.version : undefined;
  const models = Array.isArray(d.dataModels) ? (d.dataModels as DataModel[]) : [];
  const edfi = models.find((m) => typeof m.name === 'string' && m.name.toLowerCase() === 'ed-fi');
  const tx = models.find((m) => typeof m.name === 'string' && /^(tx|texas)/i.test(m.name));
  const out: { -readonly [K in keyof DiscoveredApi]: DiscoveredApi[K] } = {};
  if (version !== undefined) {
    out.version = version;
    if (version.startsWith('6.')) out.odsApiVersion = '6.1';
    else if (version.startsWith('7.')) out.odsApiVersion = '7.x';
  }
  if (typeof edfi?.version === 'string') {
    if (edfi.version.startsWith('4.')) out.dataStandard = '4.0';
    else if (edfi.version.startsWith('5.')) out.dataStandard = '5.x';
  }
  if (models.length > 0) {
    const txVersion = typeof tx?.version === 'string' ? tx.version : undefined;
    const known = ['2024.2.1', '2025.2.1', '2026.2.1'].find((v) => txVersion?.startsWith(v));
    if (tx === undefined) out.stateExtension = 'none';
    else if (known !== undefined) out.stateExtension = `TX-${known}` as DiscoveredApi['stateExtension'];
  }
  return out;
}

export async function fetchDiscovery(baseUrl: string, timeoutMs = 10_000): Promise<DiscoveredApi> {
  const res = await request(baseUrl, { headers: { accept: 'application/json' }, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
  const text = await res.body.text();
  if (res.statusCode !== 200) throw new Error(`${baseUrl} answered HTTP ${res.statusCode} instead of the discovery document`);
  try {
    return readDiscovery(JSON.parse(text));
  } catch {
    throw new Error(`${baseUrl} did not answer with an Ed-Fi discovery document (not JSON)`);
  }
}
