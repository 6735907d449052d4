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

/** Enter the key and secret; new credentials switch the connection off until they pass Test. Not flushed. */
export async function enterCredentials(em: EntityManager, secrets: SecretBox, lea: Lea, profile: Profile, key: string, secret: string): Promise<LeaConnection> {
  const fingerprint = secrets.fingerprint(key, secret);
  let c = await em.findOne(LeaConnectionSchema, { leaId: lea.id, profileId: profile.id });
  if (c === null) {
    c = em.create(LeaConnectionSchema, { leaId: lea.id, profileId: profile.id, key, secretEncrypted: secrets.seal(secret), secretFingerprint: fingerprint, lastTestAt: null, lastTestOk: null, lastTestMessage: null, testedFingerprint: null, enabled: false, updatedAt: new Date() });
  } else if (c.secretFingerprint !== fingerprint) {
    Object.assign(c, { key, secretEncrypted: secrets.seal(secret), secretFingerprint: fingerprint, enabled: false });
  }
  return c;
}

export type ConnectionTest = { ok: boolean; message: string; failure?: TokenFailureKind; detected?: DiscoveredApi } | { noAuthUrl: true };

/**
 * Test: a token from the profile's Authentication URL with the stored key and secret, then the
 * API's discovery document; the profile follows the versions the API reports. Not flushed.
 */
export async function testConnection(secrets: SecretBox, profile: Profile, c: LeaConnection): Promise<ConnectionTest> {
  const authUrl = profile.authUrl ?? profile.apiUrl;
  if (authUrl === null) return { noAuthUrl: true };
  const result = await requestToken({ authUrl, key: c.key, secret: secrets.open(c.secretEncrypted) });
  let message = result.ok ? 'Profile Successfully Connected' : result.failure.message;
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
  }
  Object.assign(c, { lastTestAt: new Date(), lastTestOk: result.ok, lastTestMessage: message, testedFingerprint: c.secretFingerprint });
  if (!result.ok) c.enabled = false;
  return { ok: result.ok, message, ...(result.ok ? {} : { failure: result.failure.kind }), ...(detected !== undefined ? { detected } : {}) };
}

/** Why Enable is refused, or undefined when the current key and secret passed their last Test. */
export function enableRefusal(c: LeaConnection): string | undefined {
  if (c.lastTestOk === true && c.testedFingerprint === c.secretFingerprint) return undefined;
  return c.lastTestAt === null ? 'it has not been tested' : c.testedFingerprint !== c.secretFingerprint ? 'the key or secret changed since the last test' : 'the last test failed';
}
