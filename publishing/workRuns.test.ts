import { describe, expect, it } from 'vitest';
import { executionOf } from './workRuns.js';

describe("a resource run's id", () => {
  it('names the workflow execution its work rows belong to, whatever the resource', () => {
    const runId = '01a24d5c-3468-7d75-80ff-146dfa224f91';
    // As the category run builds it: `${workflowId}/${runId}:${resource}`.
    expect(executionOf(`publish/bench/2025/attendance/10/${runId}:ed-fi/studentSchoolAttendanceEvents`)).toEqual({
      workflowId: 'publish/bench/2025/attendance/10',
      runId,
    });
    expect(executionOf(`initial-sync/p/2025/student-identification/${runId}:tx/ssaOrgAssociationExts`)).toMatchObject({ runId });
  });
  it('is not guessed from an id of another shape', () => {
    expect(executionOf('run-lazy')).toBeUndefined();
    expect(executionOf('publish/p/2025/x/1/not-a-run-id:ed-fi/students')).toBeUndefined();
  });
});
