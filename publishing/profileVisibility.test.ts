import { describe, expect, it } from 'vitest';
import { profileVisibleTo } from './profileVisibility.js';

const sis = { profileType: 'SIS' as const, settings: { UserProfileMappingOption: 'vendor-based' as const } };
const hr = { profileType: 'HR-only' as const, settings: { UserProfileMappingOption: 'vendor-based' as const } };

describe('profile visibility (UserProfileMappingOption)', () => {
  it('shows every profile to everyone when available to each user', () => {
    expect(profileVisibleTo({ profileType: 'HR-only', settings: {} }, { vendor: 'SIS' })).toBe(true);
  });
  it('with vendor-based authorization, SIS users see SIS profiles and HR users HR profiles only', () => {
    expect(profileVisibleTo(sis, { vendor: 'SIS' })).toBe(true);
    expect(profileVisibleTo(hr, { vendor: 'SIS' })).toBe(false);
    expect(profileVisibleTo(hr, { vendor: 'HR' })).toBe(true);
    expect(profileVisibleTo(sis, { vendor: 'HR' })).toBe(false);
    expect(profileVisibleTo({ profileType: 'HR-from-SIS', settings: { UserProfileMappingOption: 'vendor-or-user' } }, { vendor: 'SIS' })).toBe(true);
  });
  it('shows everything to principals that did not enter from a vendor', () => {
    expect(profileVisibleTo(hr, { vendor: null })).toBe(true);
  });
  it('hides a removed profile from everyone, district IT included, until it is restored', () => {
    const removed = { profileType: 'SIS' as const, settings: {}, removedAt: new Date('2026-12-04T00:00:00Z') };
    expect(profileVisibleTo(removed, { vendor: null })).toBe(false);
    expect(profileVisibleTo(removed, { vendor: 'SIS' })).toBe(false);
    expect(profileVisibleTo({ ...removed, removedAt: null }, { vendor: null })).toBe(true);
  });
});
