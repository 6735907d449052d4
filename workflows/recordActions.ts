/**
 * Single-record actions from the record details, and resync of a category — each its own small
 * workflow so a support engineer finds it in the Temporal UI:
 * `record/{profileId}/{year}/{resource}/{sourceKey}` and `resync/{profileId}/{year}/{category}`.
 */
import { ApplicationFailure, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import type { PublishScope } from '../publishing/publishRequest.js';
import type { RecordActionInput, ResyncInput, ResyncResult } from '../temporal/contract.js';

const { republishRecord, deleteRecord, prepareCategory } = proxyActivities<Activities>({ startToCloseTimeout: '5 minutes', retry: { maximumAttempts: 3 } });
const { resyncResource } = proxyActivities<Activities>({ startToCloseTimeout: '30 minutes', heartbeatTimeout: '30 seconds', retry: { maximumAttempts: 3 } });

export async function recordAction(input: RecordActionInput): Promise<string> {
  const target = { profileId: input.profileId, schoolYear: input.schoolYear, resource: input.resource, sourceKey: input.sourceKey };
  return input.action === 'publish' ? (await republishRecord(target)).outcome : (await deleteRecord(target)).outcome;
}

export async function resync(input: ResyncInput): Promise<ResyncResult> {
  const district: PublishScope = { kind: 'district' };
  // Resync reaches resources toggled off too (an excluded calendar is deleted even then), and every
  // resource whatever changed in the SIS: `all`, as Now – Changes leaves out the resources nothing changed for.
  const plan = await prepareCategory({
    profileId: input.profileId,
    schoolYear: input.schoolYear,
    category: input.category,
    option: 'all',
    scope: district,
    includeToggledOff: true,
  });
  if (plan.refused !== undefined) throw ApplicationFailure.nonRetryable(plan.refused);
  const out: Array<ResyncResult[number]> = [];
  // Dependents first, so a parent is never deleted while something in the ODS still points at it.
  for (const level of [...plan.levels].reverse())
    for (const resource of level) out.push({ resource, ...(await resyncResource({ profileId: input.profileId, schoolYear: input.schoolYear, resource })) });
  return out;
}
