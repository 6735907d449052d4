import { describe, expect, it } from 'vitest';
import { dataPath, idFromLocation } from './api.js';

describe('Ed-Fi API addressing', () => {
  it('builds data URLs under the API base, keeping its path (one instance per school year)', () => {
    expect(dataPath('https://api.state.gov/odsedfiapi2025', 'ed-fi/schools').toString()).toBe('https://api.state.gov/odsedfiapi2025/data/v3/ed-fi/schools');
    expect(dataPath('https://api.state.gov/odsedfiapi2025/', 'tx/ssaOrgAssociationExts', 'abc').toString()).toBe('https://api.state.gov/odsedfiapi2025/data/v3/tx/ssaOrgAssociationExts/abc');
  });
  it('reads the new resource id from a POST Location header', () => {
    expect(idFromLocation('https://x/data/v3/ed-fi/schools/0d6c9f9ab8b34bcf8c4e5fd1e6b1e3a2')).toBe('0d6c9f9ab8b34bcf8c4e5fd1e6b1e3a2');
    expect(idFromLocation('https://x/data/v3/ed-fi/schools/0d6c9f9a-b8b3-4bcf-8c4e-5fd1e6b1e3a2')).toBe('0d6c9f9a-b8b3-4bcf-8c4e-5fd1e6b1e3a2');
    expect(idFromLocation(undefined)).toBeUndefined();
    expect(idFromLocation('https://x/data/v3/ed-fi/schools')).toBeUndefined();
  });
});
