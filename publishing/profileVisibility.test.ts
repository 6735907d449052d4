import { describe, expect, it } from 'vitest';
import { districtOfNew, inCallersDistrict, profileVisibleTo, replicaDistrictRefusal } from './profileVisibility.js';

const sis = { profileType: 'SIS' as const, settings: { UserProfileMappingOption: 'vendor-based' as const } };
const hr = { profileType: 'HR-only' as const, settings: { UserProfileMappingOption: 'vendor-based' as const } };

describe('profile visibility (UserProfileMappingOption)', () => {
  it('shows every profile to everyone when available to each user', () => {
    expect(profileVisibleTo({ profileType: 'HR-only', settings: {} }, { vendor: 'SIS', leaId: null })).toBe(true);
  });
  it('with vendor-based authorization, SIS users see SIS profiles and HR users HR profiles only', () => {
    expect(profileVisibleTo(sis, { vendor: 'SIS', leaId: null })).toBe(true);
    expect(profileVisibleTo(hr, { vendor: 'SIS', leaId: null })).toBe(false);
    expect(profileVisibleTo(hr, { vendor: 'HR', leaId: null })).toBe(true);
    expect(profileVisibleTo(sis, { vendor: 'HR', leaId: null })).toBe(false);
    expect(profileVisibleTo({ profileType: 'HR-from-SIS', settings: { UserProfileMappingOption: 'vendor-or-user' } }, { vendor: 'SIS', leaId: null })).toBe(
      true,
    );
  });
  it('shows everything to principals that did not enter from a vendor', () => {
    expect(profileVisibleTo(hr, { vendor: null, leaId: null })).toBe(true);
  });
  it('hides a removed profile from everyone, district IT included, until it is restored', () => {
    const removed = { profileType: 'SIS' as const, settings: {}, removedAt: new Date('2026-12-04T00:00:00Z') };
    expect(profileVisibleTo(removed, { vendor: null, leaId: null })).toBe(false);
    expect(profileVisibleTo(removed, { vendor: 'SIS', leaId: null })).toBe(false);
    expect(profileVisibleTo({ ...removed, removedAt: null }, { vendor: null, leaId: null })).toBe(true);
  });
});

describe('district scope (many districts on one deployment)', () => {
  const ofDistrict = (leaId: string | null) => ({ profileType: 'SIS' as const, settings: {}, leaId });
  it("shows a district's clerk its own district's profiles and nothing of another district", () => {
    expect(profileVisibleTo(ofDistrict('101912'), { vendor: null, leaId: '101912' })).toBe(true);
    expect(profileVisibleTo(ofDistrict('057905'), { vendor: null, leaId: '101912' })).toBe(false);
  });
  it("hides a profile of the whole deployment (no district) from a district's clerk", () => {
    expect(profileVisibleTo(ofDistrict(null), { vendor: null, leaId: '101912' })).toBe(false);
    expect(inCallersDistrict(undefined, { leaId: '101912' })).toBe(false);
  });
  it("shows every district's profiles to the deployment's IT (no district)", () => {
    expect(profileVisibleTo(ofDistrict('057905'), { vendor: null, leaId: null })).toBe(true);
    expect(profileVisibleTo(ofDistrict(null), { vendor: null, leaId: null })).toBe(true);
  });
  it('applies the vendor rule within the district as well', () => {
    const hrOfDistrict = { profileType: 'HR-only' as const, settings: { UserProfileMappingOption: 'vendor-based' as const }, leaId: '101912' };
    expect(profileVisibleTo(hrOfDistrict, { vendor: 'SIS', leaId: '101912' })).toBe(false);
    expect(profileVisibleTo(hrOfDistrict, { vendor: 'HR', leaId: '101912' })).toBe(true);
  });
});

describe('the district of something new', () => {
  it("puts what a district's admin makes in that district", () => {
    expect(districtOfNew(undefined, { leaId: '101912' })).toEqual({ leaId: '101912' });
    expect(districtOfNew('101912', { leaId: '101912' })).toEqual({ leaId: '101912' });
  });
  it("refuses a district's admin anything for another district or for every district", () => {
    expect(districtOfNew('057905', { leaId: '101912' })).toEqual({ refused: 'no LEA "057905"' });
    expect(districtOfNew(null, { leaId: '101912' })).toEqual({ refused: 'only an admin of the whole deployment makes things for every district' });
  });
  it("lets the deployment's IT choose any district, or none", () => {
    expect(districtOfNew('057905', { leaId: null })).toEqual({ leaId: '057905' });
    expect(districtOfNew(undefined, { leaId: null })).toEqual({ leaId: null });
  });
});

describe("a district's own replica", () => {
  it('is kept only when it holds the district', () => {
    expect(replicaDistrictRefusal(['101912'], '101912')).toBeUndefined();
    expect(replicaDistrictRefusal(['057905', '101912'], '101912')).toBeUndefined();
  });
  it("is refused when it holds another district's data, or none", () => {
    expect(replicaDistrictRefusal(['057905'], '101912')).toBe('the replica holds district 057905, not 101912: enter the replica of this district');
    expect(replicaDistrictRefusal([], '101912')).toBe('the replica holds no district yet: load district 101912 into it first');
  });
});
