import { describe, expect, it } from 'vitest';
import { modelOf, modelOptionsOf, tedsOf } from './profileModel.js';

describe("a profile's Ed-Fi model", () => {
  it('follows the Data Standard and the Texas extension version, and nothing else', () => {
    expect(modelOptionsOf({ dataStandard: '4.0', stateExtension: 'TX-2025.2.1' })).toEqual({ dataStandard: '4.0', teds: '2025.2.1' });
    expect(modelOptionsOf({ dataStandard: '5.x', stateExtension: 'none' })).toEqual({ dataStandard: '5.x' });
    expect(tedsOf('TX-2026')).toBeUndefined();
    expect(modelOf({ dataStandard: '4.0', stateExtension: 'TX-2025.2.1' }).resource('ed-fi/calendars')).toBeDefined();
  });
});
