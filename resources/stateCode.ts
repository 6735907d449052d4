/**
 * Codes the state requires its own value for (TEA's entry and exit codes, sex, races): an unmapped
 * local code is not published as a local descriptor the state would refuse, but held as a computed
 * error naming the code set and the code, so the clerk maps it once and every record follows.
 */
import { findCodeSet, type CodeSetId } from '../publishing/codeSets.js';
import type { Json, PublishContext } from './mapper.js';

/**
 * SQL: the state value the SIS keeps for a district-wide local code of `category` (`localcode.stateCode`),
 * else `fallback` — the code itself unless told otherwise.
 */
export function localStateValueSql(category: string, code: string, fallback: string = code): string {
  return `coalesce((SELECT lc.stateCode FROM localcode lc WHERE lc.category = '${category}' AND lc.schoolID IS NULL AND lc.code = ${code}), ${fallback})`;
}

/** The error of a record whose code has no state value yet. */
export function unmappedStateCode(codeSet: CodeSetId, code: string, category: string): string {
  const label = findCodeSet(codeSet)?.label ?? codeSet;
  return `${label}: the local code "${code}" is not mapped to a state value, which TEA requires. Map it (Mapping → ${label}), then run 'Now – Errors' on ${category}.`;
}

/** A state-required code's descriptor, or the error that names what to map; nothing for an empty code. */
export function stateCode(ctx: PublishContext, codeSet: CodeSetId, code: string | null, category: string): { uri: string } | { error: string } | undefined {
  if (code === null || code.trim() === '') return undefined;
  const uri = ctx.descriptors.mapped(codeSet, code);
  return uri !== undefined ? { uri } : { error: unmappedStateCode(codeSet, code, category) };
}

/** Several state codes of one record: each one's URI, and the errors of those unmapped (the record's error is the first). */
export function stateCodes(ctx: PublishContext, category: string): { uri: (codeSet: CodeSetId, code: string | null) => string | undefined; errors: string[] } {
  const errors: string[] = [];
  return {
    errors,
    uri(codeSet, code) {
      const c = stateCode(ctx, codeSet, code, category);
      if (c !== undefined && 'error' in c) errors.push(c.error);
      return c !== undefined && 'uri' in c ? c.uri : undefined;
    },
  };
}

/** A person's races as Ed-Fi's `races` collection, through the Races mapping. */
export function raceList(state: ReturnType<typeof stateCodes>, codes: readonly string[] | null): Json[] {
  return (codes ?? []).flatMap((r) => {
    const uri = state.uri('races', r);
    return uri === undefined ? [] : [{ raceDescriptor: uri }];
  });
}
