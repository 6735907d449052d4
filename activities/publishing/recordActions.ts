/** The record details' Publish and Delete from the ODS. */
import { ApplicationFailure } from '@temporalio/common';
import { forgetWatermarks } from '../../db/changeWatermark.js';
import { catalogRow } from '../../db/catalog.js';
import { classifyResponse } from '../../publishing/outcome.js';
import { outcomeWrite } from './sending.js';
import { publishOne } from './publishOne.js';
import { catalogName } from '../../publishing/resourceNames.js';
import type { Engine } from './engine.js';

export function recordActionsActivities(e: Engine) {
  return {
    /** The record details' "Publish": this one record, re-extracted and sent now. */
    async republishRecord(input: { profileId: string; schoolYear: number; resource: string; sourceKey: string }): Promise<{ done: boolean; outcome: string }> {
      // Natural keys (a student's Unique ID) stay out of the workflow's history: only the outcome goes back.
      const { done, outcome } = await publishOne(e, input, { for: 'record-action' });
      return { done, outcome };
    },

    /** The record details' "Delete from the ODS": sent without validation, as the guide says; the catalog keeps the row as deleted. */
    async deleteRecord(input: { profileId: string; schoolYear: number; resource: string; sourceKey: string }): Promise<{ outcome: string }> {
      const name = catalogName(input.resource);
      const row = await catalogRow(e.db, input.profileId, input.schoolYear, name, input.sourceKey);
      if (row === undefined) throw ApplicationFailure.nonRetryable(`no ${name} record "${input.sourceKey}" in the catalog for ${input.schoolYear}`);
      const { edfiId } = row;
      if (edfiId === null) return { outcome: 'never published: nothing to delete in the ODS' };
      const rt = await e.runtime(input.profileId);
      const answer = await rt.ods.delete(input.resource, edfiId);
      const o = classifyResponse('DELETE', answer.status, answer.body);
      const base = { sourceKey: input.sourceKey, schoolId: row.schoolId, naturalKey: row.naturalKey, payloadHash: row.payloadHash, sentJson: null };
      // No SIS event will say to send it again: the next Now – Changes reads the resource whole.
      if (o.status === 'deleted') await forgetWatermarks(e.db, input.profileId, input.schoolYear, [name]);
      await e.writeOutcomes(input.profileId, input.schoolYear, name, [
        o.status === 'deleted'
          ? {
              ...base,
              edfiId: null,
              status: 'deleted',
              statusDescription: 'deleted from the ODS on request',
              httpStatus: answer.status,
              dependencySource: null,
              dependsOn: null,
              attempted: true,
            }
          : outcomeWrite(base, edfiId, o, answer.status),
      ]);
      return { outcome: o.status === 'deleted' ? 'deleted' : o.message };
    },
  };
}
