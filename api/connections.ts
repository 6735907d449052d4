/**
 * The Configuration page's connection steps as functions, so the API's routes and `npm start`'s
 * demo seed enter, test and enable a connection by the same rules.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { LeaConnectionSchema, type Lea, type LeaConnection } from '../db/entities/configuration.js';
import type { Profile } from '../db/entities/profile.js';
import type { SecretBox } from '../db/secrets.js';
import { fetchDiscovery, type DiscoveredApi } from '../edfi/client/discovery.js';
import { requestToken, type TokenFailureKind } from '../edfi/client/oauth.js';
import { EdfiClient } from '../edfi/client/api.js';
import type { ConnectionFacts } from '../publishing/setupSteps.js';
import { leaVerdictFromRead, leaVerdictFromScope, readTokenInfo, type LeaVerdict } from '../publishing/keyScope.js';

/** Enter the key and secret; new credentials switch the connection off until they pass Test. Not flushed. */
export async function enterCredentials(em: EntityManager, secrets: SecretBox, lea: Lea, profile: Profile, key: string, secret: string): Promise<LeaConnection> {
  const fingerprint = secrets.fingerprint(key, secret);
  let c = await em.findOne(LeaConnectionSchema, { leaId: lea.id, profileId: profile.id });
  if (c === null) {
    c = em.create(LeaConnectionSchema, {
      leaId: lea.id,
      profileId: profile.id,
      key,
      secretEncrypted: secrets.seal(secret),
      secretFingerprint: fingerprint,
      lastTestAt: null,
      lastTestOk: null,
      lastTestMessage: null,
      testedFingerprint: null,
      enabled: false,
      setupProblem: null,
      setupProblemAt: null,
      updatedAt: new Date(),
    });
  } else if (c.secretFingerprint !== fingerprint) {
    Object.assign(c, { key, secretEncrypted: secrets.seal(secret), secretFingerprint: fingerprint, enabled: false });
  }
  return c;
}

export type ConnectionTest = { ok: boolean; message: string; failure?: TokenFailureKind | 'wrong-lea'; detected?: DiscoveredApi } | { noAuthUrl: true };

/**
 * Which LEA the key serves: 7.x introspects the token; 6.1 (and 7.x before introspection) reads
 * the LEA. A check that cannot be made does not fail the Test; it says so.
 */
async function keyServes(profile: Profile, lea: Lea, key: string, secret: string): Promise<LeaVerdict> {
  const leaId = Number(lea.stateNumber);
  const client = new EdfiClient({
    apiUrl: profile.apiUrl!,
    ...(profile.authUrl !== null ? { authUrl: profile.authUrl } : {}),
    key,
    secret,
    connections: 1,
    timeoutMs: 10_000,
  });
  try {
    if (profile.odsApiVersion === '7.x') {
      const info = await client.tokenInfo();
      const scope = info.status === 200 ? readTokenInfo(info.body) : undefined;
      if (scope !== undefined) return leaVerdictFromScope(scope, leaId);
    }
    const read = await client.get('ed-fi/localEducationAgencies', { localEducationAgencyId: String(leaId) });
    return leaVerdictFromRead(read.status, read.body, leaId);
  } catch (err) {
    return { serves: true, message: `the key's LEA could not be checked (${(err as Error).message})` };
  } finally {
    await client.close();
  }
}

/**
 * Test: a token from the profile's Authentication URL with the stored key and secret, then the
 * API's discovery document; the profile follows the versions the API reports. Not flushed.
 */
export async function testConnection(secrets: SecretBox, profile: Profile, lea: Lea, c: LeaConnection): Promise<ConnectionTest> {
  const authUrl = profile.authUrl ?? profile.apiUrl;
  if (authUrl === null) return { noAuthUrl: true };
  const secret = secrets.open(c.secretEncrypted);
  const result = await requestToken({ authUrl, key: c.key, secret });
  let ok = result.ok;
  let message = result.ok ? 'Profile Successfully Connected' : result.failure.message;
  let failure: TokenFailureKind | 'wrong-lea' | undefined = result.ok ? undefined : result.failure.kind;
  let detected: DiscoveredApi | undefined;
  if (result.ok && profile.apiUrl !== null) {
    try {
      detected = await fetchDiscovery(profile.apiUrl);
      // The API says what it runs; the profile follows, so errors are read in the right format.
      if (detected.odsApiVersion !== undefined) profile.odsApiVersion = detected.odsApiVersion;
      if (detected.dataStandard !== undefined) profile.dataStandard = detected.dataStandard;
      if (detected.stateExtension !== undefined) profile.stateExtension = detected.stateExtension;
    } catch (err) {
      message += ` (the API's discovery document could not be read: ${(err as Error).message})`;
    }
    // A token is not enough: a key of another LEA gets one too, and every record would be refused.
    const verdict = await keyServes(profile, lea, c.key, secret);
    if (verdict.serves) message += `: ${verdict.message}`;
    else [ok, message, failure] = [false, verdict.message, 'wrong-lea'];
  }
  Object.assign(c, { lastTestAt: new Date(), lastTestOk: ok, lastTestMessage: message, testedFingerprint: c.secretFingerprint });
  if (!ok) c.enabled = false;
  // A passing Test is the fix of a set-up problem a publish met (a new key, a corrected claim set).
  else Object.assign(c, { setupProblem: null, setupProblemAt: null });
  return { ok, message, ...(failure !== undefined ? { failure } : {}), ...(detected !== undefined ? { detected } : {}) };
}

/** Why Enable is refused, or undefined when the current key and secret passed their last Test. */
export function enableRefusal(c: LeaConnection): string | undefined {
  if (c.lastTestOk === true && c.testedFingerprint === c.secretFingerprint) return undefined;
  return c.lastTestAt === null
    ? 'it has not been tested'
    : c.testedFingerprint !== c.secretFingerprint
      ? 'the key or secret changed since the last test'
      : `the last test failed (${c.lastTestMessage ?? 'no message'})`;
}

/** A profile's connections as the setup steps read them (secrets stay out). */
export async function connectionFacts(em: EntityManager, profileId: string): Promise<ConnectionFacts[]> {
  const rows = await em.find(LeaConnectionSchema, { profileId }, { orderBy: { leaId: 'asc' } });
  return rows.map((c) => ({
    leaId: c.leaId,
    enabled: c.enabled,
    lastTestOk: c.lastTestOk,
    lastTestMessage: c.lastTestMessage,
    testedCurrentSecret: c.testedFingerprint === c.secretFingerprint,
    setupProblem: c.setupProblem,
  }));
}
