import { describe, expect, it } from 'vitest';
import { readDiscovery } from './discovery.js';

describe('reading a discovery document', () => {
  it('reads ODS/API 7.x with DS 4.0 and the Texas extension', () => {
    const doc = {
      version: '7.2',
      dataModels: [
        { name: 'Ed-Fi', version: '4.0.0' },
        { name: 'TX', version: '2025.2.1' },
      ],
    };
    expect(readDiscovery(doc)).toEqual({ version: '7.2', odsApiVersion: '7.x', dataStandard: '4.0', stateExtension: 'TX-2025.2.1' });
  });
  it('reads ODS/API 6.1 without an extension', () => {
    expect(readDiscovery({ version: '6.1', apiMode: 'Year Specific', dataModels: [{ name: 'Ed-Fi', version: '4.0.0' }] })).toEqual({
      version: '6.1',
      odsApiVersion: '6.1',
      dataStandard: '4.0',
      stateExtension: 'none',
    });
  });
  it('reads DS 5.x', () => {
    expect(readDiscovery({ version: '7.3', dataModels: [{ name: 'Ed-Fi', version: '5.2.0' }] })).toMatchObject({ dataStandard: '5.x' });
  });
  it('leaves out what the document does not say', () => {
    expect(readDiscovery({ version: '7.3' })).toEqual({ version: '7.3', odsApiVersion: '7.x' });
    expect(readDiscovery({ dataModels: [{ name: 'TX', version: '2099.1' }] })).toEqual({});
    expect(readDiscovery('nope')).toEqual({});
  });
});
