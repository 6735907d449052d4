/** The Ed-Fi model a profile publishes to, from its Data Standard and Texas extension: one rule for every caller. */
import { edfiModel } from '../edfi/model/index.js';
import type { EdfiModel, ModelOptions, TedsVersion } from '../edfi/model/types.js';

/** `TX-2025.2.1` → `2025.2.1`; `none` (or anything else) → no Texas extension. */
export function tedsOf(stateExtension: string): TedsVersion | undefined {
  const m = /^TX-(\d{4}\.\d\.\d)$/.exec(stateExtension);
  return m?.[1] as TedsVersion | undefined;
}

export function modelOptionsOf(profile: { readonly dataStandard: string; readonly stateExtension: string }): ModelOptions {
  const teds = tedsOf(profile.stateExtension);
  return { dataStandard: profile.dataStandard === '5.x' ? '5.x' : '4.0', ...(teds !== undefined ? { teds } : {}) };
}

export function modelOf(profile: { readonly dataStandard: string; readonly stateExtension: string }): EdfiModel {
  return edfiModel(modelOptionsOf(profile));
}
