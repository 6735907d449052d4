import { describe, expect, it } from 'vitest';
import { effectivePreferences, optionOn, type PreferenceOption } from './mapper.js';
import { MAPPERS } from './index.js';

const option: PreferenceOption = { key: 'reportGradeLevels', label: 'Report grade levels', help: '…', default: false };

describe('resource preference options', () => {
  it('read the stored value, or the default when none is stored', () => {
    expect(optionOn({ enabled: true, options: {} }, option)).toBe(false);
    expect(optionOn({ enabled: true, options: { reportGradeLevels: true } }, option)).toBe(true);
    expect(optionOn({ enabled: true, options: {} }, { ...option, default: true })).toBe(true);
  });
  it('count only what the mapper declares: a stray stored key (an option since removed) changes nothing', () => {
    expect(effectivePreferences({ enabled: false, options: { gone: true } }, [option])).toEqual({ enabled: false, options: { reportGradeLevels: false } });
  });
  it('are declared once per key by each mapper, each with a label and a help text', () => {
    for (const m of MAPPERS.values()) {
      const keys = (m.preferenceOptions ?? []).map((o) => o.key);
      expect(new Set(keys).size, m.resource).toBe(keys.length);
      for (const o of m.preferenceOptions ?? []) expect(o.label.length * o.help.length, `${m.resource} ${o.key}`).toBeGreaterThan(0);
    }
  });
});
