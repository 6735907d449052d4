import { describe, expect, it } from 'vitest';
import { leaVerdictFromRead, leaVerdictFromScope, readTokenInfo } from './keyScope.js';

const tokenInfo = (orgs: unknown[]) => ({
  active: true,
  client_id: 'k',
  namespace_prefixes: ['uri://ed-fi.org', 'uri://tea.texas.gov'],
  education_organizations: orgs,
  claim_set: { name: 'SIS Vendor' },
  resources: [],
});

describe('which LEA a key serves (7.x token introspection)', () => {
  it("reads the key's education organizations, claim set and namespaces", () => {
    expect(
      readTokenInfo(
        tokenInfo([
          { education_organization_id: 101912, type: 'edfi.LocalEducationAgency' },
          { education_organization_id: 101912001, local_education_agency_id: 101912 },
        ]),
      ),
    ).toEqual({
      educationOrganizationIds: [101912, 101912001],
      localEducationAgencyIds: [101912],
      claimSet: 'SIS Vendor',
      namespacePrefixes: ['uri://ed-fi.org', 'uri://tea.texas.gov'],
    });
    expect(readTokenInfo({ detail: 'An invalid token was provided' })).toBeUndefined();
  });
  it("serves the profile's LEA when the LEA is one of them, and says so with the claim set", () => {
    const v = leaVerdictFromScope(readTokenInfo(tokenInfo([{ education_organization_id: 101912 }]))!, 101912);
    expect(v).toEqual({ serves: true, message: 'the key serves LEA 101912 (claim set "SIS Vendor"; namespaces uri://ed-fi.org, uri://tea.texas.gov)' });
  });
  it('refuses a key of another LEA, naming the one it serves and what to do', () => {
    const v = leaVerdictFromScope(readTokenInfo(tokenInfo([{ education_organization_id: 149913 }]))!, 101912);
    expect(v.serves).toBe(false);
    expect(v.message).toMatch(
      /^The key serves education organization 149913, not this profile's LEA 101912 .*Enter the key and secret the state issued for LEA 101912/,
    );
  });
  it("refuses a key of the LEA's schools only, and a key with none", () => {
    expect(
      leaVerdictFromScope(readTokenInfo(tokenInfo([{ education_organization_id: 101912001, local_education_agency_id: 101912 }]))!, 101912).message,
    ).toContain('schools of LEA 101912, not the LEA itself');
    expect(leaVerdictFromScope(readTokenInfo(tokenInfo([]))!, 101912)).toMatchObject({
      serves: false,
      message: expect.stringContaining('The key has no education organizations') as unknown,
    });
  });
});

describe('which LEA a key serves (6.1: a read of the LEA)', () => {
  it('passes a key that reads the LEA, or an ODS without it yet, saying the check is partial', () => {
    expect(leaVerdictFromRead(200, [{ localEducationAgencyId: 101912 }], 101912)).toMatchObject({
      serves: true,
      message: expect.stringContaining('cannot say which LEA a key serves') as unknown,
    });
    expect(leaVerdictFromRead(200, [], 101912)).toMatchObject({ serves: true, message: expect.stringContaining('not in this ODS yet') as unknown });
  });
  it('refuses a key whose claims do not reach the LEA, naming them', () => {
    const v = leaVerdictFromRead(
      403,
      {
        message:
          "Authorization denied. No relationships have been established between the caller's education organization id claim (149913) and the resource item's 'LocalEducationAgencyId' value.",
      },
      101912,
    );
    expect(v).toMatchObject({ serves: false, message: expect.stringContaining('not associated with LEA 101912 (it holds claim (149913))') as unknown });
  });
});
