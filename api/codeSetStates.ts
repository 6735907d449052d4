/**
 * A profile's local codes per code set with what each maps to, pre-mapping (and storing) the codes
 * nobody decided on: what the Mapping page shows and what the setup steps count as blocking.
 */
import type pg from 'pg';
import { z } from 'zod';
import type { Profile } from '../db/entities/profile.js';
import { SETTING_RULES } from '../publishing/profileSettings.js';
import { autoMap, CODE_SETS, localDescriptor, unmappedCodes, type CodeSet, type Mapping } from '../publishing/codeSets.js';
import { downloadedDescriptors, insertAutoMappings, mappingKey, readMappings } from '../db/codeMappings.js';
import { readLocalCodes, type LocalCodeOf, type SisLocalCode } from '../sis/localCodes.js';

/** The state's descriptor namespaces; pre-mapping prefers them over core Ed-Fi. */
export const STATE_NAMESPACE_PREFIX = 'uri://tea.texas.gov/';

export const mappingView = z.object({ namespace: z.string(), codeValue: z.string(), shortDescription: z.string().nullable(), auto: z.boolean() });
export const codeView = z.object({
  schoolId: z.number().nullable(),
  schoolName: z.string().nullable(),
  code: z.string(),
  name: z.string(),
  active: z.boolean(),
  mapping: mappingView.nullable().describe('null: published as the local descriptor below'),
  localDescriptor: z.string().describe("the URI the code is published as while unmapped (the profile's namespace prefix)"),
  /** The clerk chose the local descriptor on purpose (pre-mapping leaves it alone). */
  keptLocal: z.boolean(),
});
export type CodeView = z.infer<typeof codeView>;

export interface CodeSetState {
  readonly codes: CodeView[];
}

export function codeSetStates(conn: pg.Pool) {
  const localPrefix = (profile: Profile): string =>
    profile.settings.DescriptorNameSpacePrefixToPublish ?? SETTING_RULES.DescriptorNameSpacePrefixToPublish.defaultFor(profile);

  /** Local codes with their decisions (`only` one of them); codes nobody decided on are pre-mapped (and stored) first. */
  const codeSetState = async (profile: Profile, set: CodeSet, sis: pg.Pool, only?: LocalCodeOf): Promise<CodeSetState> => {
    const local: SisLocalCode[] = set.localCategory === null ? [] : await readLocalCodes(sis, set.localCategory, only);
    const values = await downloadedDescriptors(conn, profile.id, set.descriptor);
    let stored = await readMappings(conn, profile.id, set.id);
    const undecided = local.filter((c) => !stored.has(mappingKey(c.schoolId, c.code)));
    if (undecided.length > 0 && values.length > 0) {
      const found = autoMap([...new Set(undecided.map((c) => c.code))], values, new Map(), STATE_NAMESPACE_PREFIX);
      const auto = undecided.flatMap((c) => {
        const mapping = found.get(c.code);
        return mapping === undefined ? [] : [{ schoolId: c.schoolId, code: c.code, mapping }];
      });
      await insertAutoMappings(conn, profile.id, set.id, auto);
      if (auto.length > 0) stored = await readMappings(conn, profile.id, set.id);
    }
    const text = new Map(values.map((v) => [`${v.namespace}#${v.codeValue}`, v.shortDescription]));
    const prefix = localPrefix(profile);
    const view = (m: Mapping): z.infer<typeof mappingView> => ({ ...m, shortDescription: text.get(`${m.namespace}#${m.codeValue}`) ?? null });
    return {
      codes: local.map((c) => {
        const key = mappingKey(c.schoolId, c.code);
        const decision = stored.get(key);
        return {
          schoolId: c.schoolId,
          schoolName: c.schoolName,
          code: c.code,
          name: c.name,
          active: c.active,
          mapping: decision === undefined || decision === null ? null : view(decision),
          localDescriptor: localDescriptor(prefix, set.descriptor, c.code).uri,
          keptLocal: stored.has(key) && decision === null,
        };
      }),
    };
  };

  /** The code sets state reporting needs that still have unmapped local codes, with those codes. */
  const blockingCodeSets = async (profile: Profile, sis: pg.Pool): Promise<Array<{ id: string; label: string; unmapped: CodeView[] }>> => {
    const out = [];
    for (const set of CODE_SETS.filter((c) => c.requiredForState)) {
      const unmapped = unmappedCodes((await codeSetState(profile, set, sis)).codes);
      if (unmapped.length > 0) out.push({ id: set.id, label: set.label, unmapped });
    }
    return out;
  };

  return { codeSetState, blockingCodeSets };
}
