/**
 * `publish-queue/{profileId}`: the per-profile publish queue, an entity workflow. Clerks and API
 * clients enqueue category publishes by signal or by update (the update answers with the queue
 * position); the queue runs them one at a time, in arrival order, each as a child workflow
 * `publish/{profileId}/{year}/{category}/{ticket}` — the guide's "Waiting" status. It holds only
 * requests (no records), and continues-as-new between items before its history grows large.
 *
 * One exception to one-at-a-time: the dependency lane. Records the sweeper finds ready in bulk (an
 * enrollment batch published, so its students' records may go) are a Now – Dependencies request of
 * another category; it runs beside the running category instead of behind it, so the wake reaches
 * the ODS within seconds of what it waited for, not after the whole running run. Both share the
 * profile's connections (the worker's per-profile limit), and never publish the same category at once.
 */
import { failureDetail } from '../publishing/failureTypes.js';
import { dismissRefusal } from '../publishing/queueDismissal.js';
import { allHandlersFinished, condition, continueAsNew, patched, startChild, ParentClosePolicy, setHandler, workflowInfo } from '@temporalio/workflow';
import { checkPublishRequest, sameWork, traceIdOf, triggerOf, type PublishRequest } from '../publishing/publishRequest.js';
import { CategoryKey, ProfileIdKey, PublishOptionKey, SchoolIdKey, SchoolYearKey, TriggerKey } from '../temporal/searchAttributes.js';
import { categoryPublishWorkflowId } from '../temporal/ids.js';
import { runPriority } from '../temporal/priority.js';
import {
  dismissUpdate,
  enqueueSignal,
  enqueueUpdate,
  queueQuery,
  setProcessingSignal,
  type CategoryPublishInput,
  type EnqueueResult,
  type FinishedItem,
  type PublishQueueInput,
  type QueueItem,
  type RejectedSignal,
} from '../temporal/contract.js';
import { categoryPublish } from './categoryPublish.js';

const DEFAULT_HISTORY_EVENT_LIMIT = 4_000;
const KEEP_RECENT = 20;

export async function publishQueue(input: PublishQueueInput): Promise<void> {
  const { profileId } = input;
  const historyEventLimit = input.historyEventLimit ?? DEFAULT_HISTORY_EVENT_LIMIT;
  const waiting: QueueItem[] = [...(input.waiting ?? [])];
  const recent: FinishedItem[] = [...(input.recent ?? [])];
  const rejected: RejectedSignal[] = [...(input.rejected ?? [])];
  let nextTicket = input.nextTicket ?? 1;
  let paused = input.paused ?? false;
  let running: (QueueItem & { startedAt: string; childStarted: boolean }) | undefined;
  let beside: typeof running;

  const enqueue = (request: PublishRequest): EnqueueResult => {
    const index = waiting.findIndex((item) => sameWork(item.request, request));
    const existing = waiting[index];
    if (existing !== undefined) return { ticket: existing.ticket, workflowId: existing.workflowId, position: index + 1, duplicate: true };
    const ticket = nextTicket++;
    const item: QueueItem = { ticket, request, enqueuedAt: new Date().toISOString(), workflowId: categoryPublishWorkflowId(profileId, request, ticket) };
    waiting.push(item);
    return { ticket, workflowId: item.workflowId, position: waiting.length, duplicate: false };
  };

  setHandler(enqueueUpdate, enqueue, {
    validator: (request: PublishRequest) => {
      const check = checkPublishRequest(request);
      if (!check.ok) throw new Error(`${check.field}: ${check.reason}`);
    },
  });
  setHandler(enqueueSignal, (request) => {
    const check = checkPublishRequest(request);
    if (check.ok) {
      enqueue(request);
      return;
    }
    rejected.push({ request, reason: `${check.field}: ${check.reason}`, at: new Date().toISOString() });
    rejected.splice(0, rejected.length - KEEP_RECENT);
  });
  setHandler(setProcessingSignal, (enabled) => {
    paused = !enabled;
  });
  // A clerk's way out: a publish queued by mistake, or a failure that was read and dealt with.
  setHandler(
    dismissUpdate,
    (ticket) => {
      const w = waiting.findIndex((item) => item.ticket === ticket);
      if (w >= 0) {
        waiting.splice(w, 1);
        return 'waiting';
      }
      recent.splice(
        recent.findIndex((r) => r.ticket === ticket),
        1,
      );
      return 'failed';
    },
    {
      validator: (ticket: number) => {
        const why = dismissRefusal(ticket, running?.ticket, waiting, recent);
        if (why !== undefined) throw new Error(why);
      },
    },
  );
  setHandler(queueQuery, () => ({
    profileId,
    running,
    ...(beside !== undefined ? { beside } : {}),
    waiting: [...waiting],
    recent: [...recent],
    rejected: [...rejected],
    paused,
  }));

  const historyIsLarge = (): boolean => workflowInfo().continueAsNewSuggested || workflowInfo().historyLength >= historyEventLimit;
  type Running = QueueItem & { startedAt: string; childStarted: boolean };
  /** Runs one item as the running one (`show` sets the main slot or the lane's) and records how it ended. */
  const runAs = async (item: QueueItem, show: (current: Running | undefined) => void): Promise<void> => {
    const current: Running = { ...item, startedAt: new Date().toISOString(), childStarted: false };
    show(current);
    const finished = await runItem(profileId, item, () => {
      current.childStarted = true;
    });
    show(undefined);
    const traceId = traceIdOf(item.request.traceparent);
    recent.push({ ...finished, option: item.request.option, schoolYear: item.request.schoolYear, ...(traceId !== undefined ? { traceId } : {}) });
    recent.splice(0, recent.length - KEEP_RECENT);
  };
  // Queues started before the lane existed replay as they ran: one at a time.
  if (patched('dependency-lane')) void dependencyLane();

  for (;;) {
    // The head waits while the lane publishes its category: one category never publishes twice at once.
    await condition(() => (waiting.length > 0 && !paused && waiting[0]?.request.category !== beside?.request.category) || historyIsLarge());
    if (historyIsLarge()) break;
    const item = waiting.shift();
    if (item === undefined) continue;
    await runAs(item, (current) => (running = current));
  }
  // The lane's run finishes before the queue continues as new (its item is in no input).
  await condition(() => beside === undefined);
  // Let in-flight updates answer before the run closes; their items travel in the new run's input.
  await condition(allHandlersFinished);
  await continueAsNew<typeof publishQueue>({ profileId, waiting, nextTicket, recent, rejected, paused, historyEventLimit });

  /** The sweeper's bulk wake of another category than the running one, started beside it. */
  async function dependencyLane(): Promise<void> {
    const besideRunning = (): number =>
      paused || running === undefined || historyIsLarge()
        ? -1
        : waiting.findIndex((item) => triggerOf(item.request) === 'dependencies' && item.request.category !== running?.request.category);
    for (;;) {
      await condition(() => besideRunning() >= 0);
      const [item] = waiting.splice(besideRunning(), 1);
      if (item === undefined) continue;
      await runAs(item, (current) => (beside = current));
    }
  }
}

async function runItem(profileId: string, item: QueueItem, onStarted: () => void): Promise<FinishedItem> {
  const { request } = item;
  const base = { ticket: item.ticket, workflowId: item.workflowId, category: request.category };
  try {
    const input: CategoryPublishInput = { ...request, profileId, ticket: item.ticket };
    const child = await startChild(categoryPublish, {
      workflowId: item.workflowId,
      args: [input],
      // A publish that is half done when the queue is cancelled gets to finish its batch.
      parentClosePolicy: ParentClosePolicy.REQUEST_CANCEL,
      // Its activities inherit this: a SIS change goes ahead of another district's bulk run.
      priority: runPriority(profileId, triggerOf(request)),
      typedSearchAttributes: [
        { key: ProfileIdKey, value: profileId },
        { key: SchoolYearKey, value: request.schoolYear },
        { key: CategoryKey, value: request.category },
        { key: PublishOptionKey, value: request.option },
        { key: TriggerKey, value: triggerOf(request) },
        ...(request.scope.kind === 'school' ? [{ key: SchoolIdKey, value: request.scope.schoolId }] : []),
      ],
      memo: { requestedBy: request.requestedBy, scope: request.scope },
    });
    onStarted();
    const result = await child.result();
    // The guide: an inactive category does some initial processing and publishes nothing — say so.
    const inactive = result.skipped.filter((s) => s.inactive === true);
    const whys = [...new Set(inactive.map((s) => s.why))];
    const detail =
      inactive.length > 0 ? `Inactive for this profile, not published: ${inactive.map((s) => s.resource).join(', ')} — ${whys.join(' ')}` : undefined;
    const skipped = result.skipped.map(({ resource, why }) => ({ resource, why }));
    return {
      ...base,
      outcome: 'completed',
      ...(detail !== undefined ? { detail } : {}),
      ...(skipped.length > 0 ? { skipped } : {}),
      finishedAt: new Date().toISOString(),
    };
  } catch (err) {
    // One failed category must not stall the clerk's other requests: record it and go on.
    const detail = failureDetail(err);
    return { ...base, outcome: 'failed', detail, finishedAt: new Date().toISOString() };
  }
}
