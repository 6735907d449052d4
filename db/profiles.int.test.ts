import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MikroORM } from '@mikro-orm/postgresql';
import { migrateAppDatabase, openOrm } from './orm.js';
import { createScratchDatabase } from '../test/stack.js';
import { createProfile, enabledConnectionOf } from './profiles.js';
import { LeaConnectionSchema, LeaSchema } from './entities/configuration.js';

let orm: MikroORM;

beforeAll(async () => {
  const url = await createScratchDatabase('profiles');
  await migrateAppDatabase(url);
  orm = await openOrm(url);
});

afterAll(async () => {
  await orm?.close();
});

/** An enabled connection: tested with exactly these credentials, as the table's check requires. */
const enabled = (leaId: string, profileId: string) => ({
  leaId,
  profileId,
  key: `key-${leaId}`,
  secretEncrypted: 'x',
  secretFingerprint: 'f',
  testedFingerprint: 'f',
  lastTestOk: true,
  lastTestAt: new Date(),
  lastTestMessage: 'ok',
  enabled: true,
  setupProblem: null,
  setupProblemAt: null,
  updatedAt: new Date(),
});

describe('the connection a profile publishes with', () => {
  it("is its own district's, even when another LEA's connection is enabled too (written before profiles had districts)", async () => {
    const em = orm.em.fork();
    // Named so that the other district's connection sorts and is found first.
    em.create(LeaSchema, { id: 'a-other', name: 'Other ISD', stateNumber: '333333' });
    em.create(LeaSchema, { id: 'z-own', name: 'Own ISD', stateNumber: '444444' });
    await em.flush();
    const profile = createProfile(em, { id: 'district-sis', name: 'District SIS', profileType: 'SIS', schoolYears: [2025], leaId: 'z-own' });
    await em.flush();
    em.create(LeaConnectionSchema, enabled('a-other', profile.id));
    await em.flush();
    expect(await enabledConnectionOf(orm.em.fork(), profile)).toBeNull();
    em.create(LeaConnectionSchema, enabled('z-own', profile.id));
    await em.flush();
    expect((await enabledConnectionOf(orm.em.fork(), profile))?.leaId).toBe('z-own');
  });

  it('is the enabled one for a profile of the whole deployment (no district)', async () => {
    const em = orm.em.fork();
    const profile = createProfile(em, { id: 'deployment-sis', name: 'Deployment SIS', profileType: 'SIS', schoolYears: [2025] });
    await em.flush();
    em.create(LeaConnectionSchema, enabled('a-other', profile.id));
    await em.flush();
    expect((await enabledConnectionOf(orm.em.fork(), profile))?.leaId).toBe('a-other');
  });
});
