/** Records in dependency: queued on the profile's timetable, and woken when what they wait for publishes. */
import type { EdfiModel } from '../../edfi/model/types.js';
import { legacyDependentsOf } from '../../db/catalog.js';
import { dependencyRetryDelayMinutes, type DependencySource } from '../../publishing/outcome.js';
import { entityResource } from '../../publishing/entityOrder.js';
import {
  blockerPublishedSignal,
  dependencyRetriesWorkflowId,
  dependencyWorkflowId,
  DEPENDENCY_RETRIES_WORKFLOW,
  wakeDependencyRetriesSignal,
} from '../../workflows/dependencyNames.js';
import { queueRetries, wakeRetries } from '../../db/dependencyQueue.js';
import { ProfileIdKey } from '../../workflows/searchAttributes.js';
import type { Engine } from './engine.js';

/** Wakes the profile's dependency sweeper, starting it when it is not running: one call per batch, never per record. */
export const wakeSweeper = async (e: Engine, profileId: string): Promise<void> => {
  await e.deps.temporal.workflow.signalWithStart(DEPENDENCY_RETRIES_WORKFLOW, {
    workflowId: dependencyRetriesWorkflowId(profileId),
    taskQueue: e.deps.temporalConfig.taskQueues.dependencyRetries,
    args: [{ profileId }],
    signal: wakeDependencyRetriesSignal,
    signalArgs: [],
    typedSearchAttributes: [{ key: ProfileIdKey, value: profileId }],
  });
};

/** Records that just went into dependency join the timetable (1 or 10 minutes to their first try). */
export const queueDependencyRetries = async (
  e: Engine,
  profileId: string,
  schoolYear: number,
  resource: string,
  entries: ReadonlyArray<{ sourceKey: string; source: DependencySource }>,
): Promise<void> => {
  if (entries.length === 0) return;
  const now = Date.now();
  await queueRetries(
    e.db,
    profileId,
    schoolYear,
    resource,
    entries.map((e) => ({ sourceKey: e.sourceKey, retryAtMs: now + dependencyRetryDelayMinutes(e.source, 0) * 60_000 })),
  );
  await wakeSweeper(e, profileId);
};

/** Brings forward the records waiting for what this batch published, then wakes the sweeper — and the per-record workflows of earlier versions. */
export const wakeDependents = async (e: Engine, model: EdfiModel, profileId: string, schoolYear: number, blockers: readonly string[]): Promise<void> => {
  if (blockers.length === 0) return;
  if ((await wakeRetries(e.db, profileId, schoolYear, blockers, Date.now())) > 0) await wakeSweeper(e, profileId);
  for (const d of await legacyDependentsOf(e.db, profileId, schoolYear, blockers)) {
    const path = entityResource(model, d.resource);
    if (path === undefined) continue;
    // A record of an earlier version whose workflow has ended meanwhile: nothing to wake.
    await e.deps.temporal.workflow
      .getHandle(dependencyWorkflowId(profileId, schoolYear, path, d.sourceKey))
      .signal(blockerPublishedSignal)
      .catch(() => undefined);
  }
};
