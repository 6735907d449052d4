import { describe, expect, it } from 'vitest';
import { publishBlocker, setupSteps, type ConnectionFacts, type SetupFacts } from './setupSteps.js';

const tested: ConnectionFacts = { leaId: '255901', enabled: false, lastTestOk: true, lastTestMessage: 'ok', testedCurrentSecret: true, setupProblem: null };
const fresh: SetupFacts = {
  profileName: 'Demo ISD',
  connections: [],
  downloadOn: true,
  downloadCategories: ['descriptors', 'organization-catalog'],
  downloads: [],
  blockingCodeSets: [],
  published: 0,
};
const stateOf = (f: SetupFacts) => Object.fromEntries(setupSteps(f).map((s) => [s.id, s.state]));

describe('setup steps', () => {
  it('lists the guide’s order, and a new profile has everything but mapping to do', () => {
    expect(setupSteps(fresh).map((s) => s.id)).toEqual(['connection', 'test', 'enable', 'download', 'mapping', 'publish']);
    expect(stateOf(fresh)).toEqual({ connection: 'todo', test: 'todo', enable: 'todo', download: 'todo', mapping: 'done', publish: 'todo' });
  });

  it('counts a test only when it passed for the secret saved now', () => {
    expect(stateOf({ ...fresh, connections: [tested] }).test).toBe('done');
    expect(stateOf({ ...fresh, connections: [{ ...tested, testedCurrentSecret: false }] }).test).toBe('todo');
  });

  it('names a failed test as a problem with its message', () => {
    const s = setupSteps({ ...fresh, connections: [{ ...tested, lastTestOk: false, lastTestMessage: 'invalid_client' }] })[1];
    expect(s).toMatchObject({ state: 'problem', page: 'configure' });
    expect(s.detail).toContain('invalid_client');
  });

  it('shows a set-up problem a publish met on the enable step', () => {
    const s = setupSteps({ ...fresh, connections: [{ ...tested, enabled: true, setupProblem: 'the key serves LEA 1, not 2' }] })[2];
    expect(s.state).toBe('problem');
    expect(s.detail).toContain('the key serves LEA 1, not 2');
  });

  it('is downloaded only when every category the profile type offers is done', () => {
    const one = [{ category: 'descriptors', status: 'done', message: null }];
    expect(stateOf({ ...fresh, downloads: one }).download).toBe('todo');
    expect(setupSteps({ ...fresh, downloads: one })[3].detail).toBe('Not downloaded yet: organization-catalog.');
    expect(stateOf({ ...fresh, downloads: [...one, { category: 'organization-catalog', status: 'done', message: null }] }).download).toBe('done');
    expect(stateOf({ ...fresh, downloads: [{ category: 'descriptors', status: 'failed', message: '401' }] }).download).toBe('problem');
    expect(setupSteps({ ...fresh, downloadOn: false })[3].detail).toContain('Download is switched off for "Demo ISD"');
  });

  it('names the code sets that block state reporting, and says when the replica cannot be read', () => {
    const s = setupSteps({ ...fresh, blockingCodeSets: [{ label: 'Calendar Types', unmapped: 2 }] })[4];
    expect(s.state).toBe('todo');
    expect(s.detail).toContain('Calendar Types (2 unmapped)');
    expect(stateOf({ ...fresh, blockingCodeSets: undefined }).mapping).toBe('unknown');
  });

  it('is published once any record of the year is', () => {
    expect(stateOf({ ...fresh, published: 1 }).publish).toBe('done');
  });
});

describe('publish blocker', () => {
  it('stops a publish without an enabled connection, saying what to do', () => {
    expect(publishBlocker('Demo ISD', [])).toContain('has no LEA connection yet');
    expect(publishBlocker('Demo ISD', [{ enabled: false }])).toContain('Test it on Configure, then Enable');
    expect(publishBlocker('Demo ISD', [{ enabled: false }, { enabled: true }])).toBeNull();
  });
});
