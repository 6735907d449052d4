/**
 * A workflow's whole history as searchable text: the proto JSON the Temporal UI and CLI show, plus
 * every payload decoded from base64 (where inputs, results and signals actually sit).
 */
import type { Client } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';

function decodedPayloads(value: unknown, out: string[]): void {
  if (Array.isArray(value)) for (const v of value) decodedPayloads(v, out);
  else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'data' && typeof v === 'string') out.push(Buffer.from(v, 'base64').toString('utf8'));
      else decodedPayloads(v, out);
    }
  }
}

export async function historyText(client: Client, workflowId: string): Promise<string> {
  const json = historyToJSON(await client.workflow.getHandle(workflowId).fetchHistory());
  const decoded: string[] = [];
  decodedPayloads(JSON.parse(json), decoded);
  return `${json}\n${decoded.join('\n')}`;
}

/** What a history says about activities and signals, in event order (ids as numbers, inputs decoded). */
export interface HistoryStep {
  readonly eventId: number;
  readonly kind: 'scheduled' | 'completed' | 'signaled';
  /** Activity type (scheduled) or signal name (signaled). */
  readonly name?: string;
  /** The scheduled activity's or the signal's input, decoded. */
  readonly input?: unknown;
  /** Of a completed activity: its scheduled event's id. */
  readonly scheduledEventId?: number;
}

const decode = (payloads: ReadonlyArray<{ data?: Uint8Array | null }> | null | undefined): unknown =>
  (payloads ?? []).map((p) => JSON.parse(Buffer.from(p.data ?? new Uint8Array()).toString('utf8')) as unknown)[0];

export async function historySteps(client: Client, workflowId: string): Promise<HistoryStep[]> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  const steps: HistoryStep[] = [];
  for (const e of history.events ?? []) {
    const eventId = Number(e.eventId);
    if (e.activityTaskScheduledEventAttributes)
      steps.push({
        eventId,
        kind: 'scheduled',
        name: e.activityTaskScheduledEventAttributes.activityType?.name ?? '',
        input: decode(e.activityTaskScheduledEventAttributes.input?.payloads),
      });
    else if (e.activityTaskCompletedEventAttributes)
      steps.push({ eventId, kind: 'completed', scheduledEventId: Number(e.activityTaskCompletedEventAttributes.scheduledEventId) });
    else if (e.workflowExecutionSignaledEventAttributes)
      steps.push({
        eventId,
        kind: 'signaled',
        name: e.workflowExecutionSignaledEventAttributes.signalName ?? '',
        input: decode(e.workflowExecutionSignaledEventAttributes.input?.payloads),
      });
  }
  return steps;
}
