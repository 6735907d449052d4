/** Prepares a category run: which entities publish, in which order, and what is refused or skipped. */
import { ApplicationFailure } from '@temporalio/common';
import { runLog } from '../runLog.js';
import { holdReason } from '../../publishing/holds.js';
import { analyzeCatalogIfGrown } from '../../db/catalog.js';
import { mapperFor, NOT_SENT } from '../../resources/index.js';
import { findCategory, type PublishOption } from '../../publishing/categories.js';
import type { PublishScope } from '../../publishing/publishRequest.js';
import { entityLevels } from '../../publishing/entityOrder.js';
import { resourcePathIn } from '../../publishing/resourceNames.js';
import { type CategoryPlan, type ProfileRuntime } from './shared.js';
import { catalogName } from '../../publishing/resourceNames.js';
import { resourcesSwitchedOff } from '../../db/resourcePreferences.js';
import { sisHasSchoolYear } from '../../sis/schoolYears.js';
import { entityScope } from '../../publishing/profileScope.js';
import { settingReader } from '../../publishing/profileSettings.js';
import type { Engine } from './engine.js';
import { unchangedResources } from './quiet.js';
import { localDescriptorsWaiting } from '../../db/localDescriptors.js';
import { localDescriptorStatuses } from '../../publishing/staging.js';
import { LOCAL_DESCRIPTOR_RESOURCES } from '../../publishing/descriptorLookup.js';

/** Local descriptors' resources as the catalog names them. */
const LOCAL_DESCRIPTORS_IN_CATALOG = LOCAL_DESCRIPTOR_RESOURCES.map(catalogName);

/** ANALYZE the catalog if it grew, without waiting for it; a failure is logged, the run goes on. */
function refreshCatalogStatistics(e: Engine): void {
  analyzeCatalogIfGrown(e.db).catch((err: unknown) =>
    runLog('WARN', 'the catalog statistics were not refreshed', { why: err instanceof Error ? err.message : String(err) }),
  );
}

export function prepareCategoryActivities(e: Engine) {
  return {
    /** Prepares a category run: which entities publish, in which order, and what is refused or skipped. */
    async prepareCategory(input: {
      profileId: string;
      schoolYear: number;
      category: string;
      option: PublishOption;
      scope: PublishScope;
      includeToggledOff?: boolean;
    }): Promise<CategoryPlan> {
      const refuse = (why: string): CategoryPlan => {
        runLog('WARN', 'category run refused', { category: input.category, option: input.option, schoolYear: input.schoolYear, why });
        return { refused: why, levels: [], skipped: [], descriptors: false };
      };
      // The app database's answers are asked for together, beside the profile's (a round trip each
      // of a burst's way to its first POST), and looked at in the order below; a failure counts only there.
      const switches = e.switches();
      const switchedOff = resourcesSwitchedOff(e.db, input.profileId);
      const waiting = localDescriptorsWaiting(e.db, input.profileId, input.schoolYear, LOCAL_DESCRIPTORS_IN_CATALOG, localDescriptorStatuses({}));
      for (const read of [switches, switchedOff, waiting]) read.catch(() => undefined);
      let rt: ProfileRuntime;
      try {
        // A run starts from the profile as it is now (its switches may have just changed).
        rt = await e.runtime(input.profileId, 'fresh');
      } catch (err) {
        if (err instanceof ApplicationFailure) return refuse(err.message);
        throw err;
      }
      const { profile, model } = rt;
      const category = findCategory(input.category);
      if (category === undefined) return refuse(`unknown category "${input.category}"`);
      const held = holdReason(await switches, profile, 'category run');
      if (held !== undefined) return refuse(held);
      // The scope-year rule: data is sent only for school years with valid configuration.
      if (!profile.schoolYears.includes(input.schoolYear))
        return refuse(
          `school year ${input.schoolYear} is not configured on profile "${profile.name}" (it has ${profile.schoolYears.join(', ')}): add it to the profile first`,
        );
      if (!(await sisHasSchoolYear(await e.source(profile), input.schoolYear)))
        return refuse(`the SIS has no school year ending ${input.schoolYear}: nothing to publish for it`);
      if (category.id === 'descriptors') return { levels: [], skipped: [], descriptors: true };
      const off = new Set(await switchedOff);
      const skipped: CategoryPlan['skipped'] = [];
      const publishable: string[] = [];
      const setting = settingReader(profile, profile.settings);
      for (const entity of category.entities) {
        const resource = resourcePathIn(model, entity.resource);
        const scope = entityScope(entity.resource, profile, setting);
        // The guide: publishing an inactive category does some initial processing and publishes nothing.
        if (scope.publish === 'none') skipped.push({ resource: resource ?? entity.resource, why: scope.why, inactive: true });
        else if (resource === undefined)
          skipped.push({
            resource: entity.resource,
            why: `not in the Ed-Fi model of this profile (Data Standard ${profile.dataStandard}, ${profile.stateExtension})`,
          });
        else if (mapperFor(resource) === undefined) skipped.push({ resource, why: NOT_SENT.get(entity.resource) ?? 'not implemented yet' });
        else if (off.has(catalogName(resource)) && input.includeToggledOff !== true)
          skipped.push({ resource, why: 'toggled off in the resource preferences: what was sent stays, nothing new is sent' });
        else publishable.push(resource);
      }
      // Now – Changes of the whole district: resources nothing in the SIS changed for are not extracted,
      // and when that is all of them (a quiet Now – Changes) the run ends here.
      const unchanged =
        input.option === 'changes' && input.scope.kind === 'district' && publishable.length > 0
          ? await unchangedResources(e, profile, input.schoolYear, publishable)
          : [];
      if (unchanged.length === publishable.length && publishable.length > 0) {
        runLog('INFO', 'nothing changed since the last complete run', { category: category.id, resources: publishable.length });
        return { levels: [], skipped, descriptors: false, quiet: publishable };
      }
      // When the previous category grew the catalog by thousands of rows: fresh statistics, once per
      // category rather than once per entity, keep this run's plans and reference checks on indexes.
      // Gathered beside the run's first steps, not before them: the ANALYZE took 0.23–0.33 s of every
      // hand-over between two large categories with nothing sent, and the extracts' first queries do
      // not read the catalog's new rows (a streamed resource has none; the reference checks come with
      // the first batch, after it).
      refreshCatalogStatistics(e);
      for (const skip of skipped) runLog('INFO', 'resource not published', { category: category.id, resource: skip.resource, why: skip.why });
      // Earlier runs' local descriptors go before this run's posts; with none waiting the run skips that step.
      const descriptorsWaiting = await waiting;
      const extracted = publishable.filter((r) => !unchanged.includes(r));
      return { levels: entityLevels(model, extracted), skipped, descriptors: false, descriptorsWaiting, ...(unchanged.length > 0 ? { unchanged } : {}) };
    },
  };
}
