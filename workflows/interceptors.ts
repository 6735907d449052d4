/**
 * Workflow-side traces: the SDK's OpenTelemetry interceptors give each traced run a
 * `RunWorkflow:<type>` span and each activity it schedules a `StartActivity:<type>` span, which the
 * activity's own span continues (through the activity's headers). Spans leave the sandbox by the
 * worker's `exporter` sink, never during replay; their span ids come from the workflow's seeded
 * random, so a replayed run makes the same ones.
 *
 * A run that carries a request's `traceparent` (a category publish a clerk queued) continues that
 * trace, not its starter's: the queue that starts it lives for days, and a trace per queue would
 * hold every run it ever started. The long-lived workflows themselves are not traced, for the same
 * reason; what they start begins its own trace.
 */
import {
  OpenTelemetryInboundInterceptor,
  OpenTelemetryInternalsInterceptor,
  OpenTelemetryOutboundInterceptor,
} from '@temporalio/interceptors-opentelemetry/lib/workflow/index.js';
import { TRACE_HEADER } from '@temporalio/interceptors-opentelemetry/lib/instrumentation.js';
import {
  defaultPayloadConverter,
  workflowInfo,
  type Next,
  type WorkflowExecuteInput,
  type WorkflowInboundCallsInterceptor,
  type WorkflowInterceptors,
} from '@temporalio/workflow';
import { traceIdOf } from '../publishing/publishRequest.js';

/** Workflows that run for days (continue-as-new): a span would end only when they do. */
const LONG_LIVED: ReadonlySet<string> = new Set(['publishQueue', 'dataChanges', 'dependencyRetries']);

/** The run's own `traceparent` (its first argument's), when it carries a well-formed one. */
export function traceparentOf(args: readonly unknown[]): string | undefined {
  const first = args[0];
  if (typeof first !== 'object' || first === null) return undefined;
  const value = (first as { traceparent?: unknown }).traceparent;
  return typeof value === 'string' && traceIdOf(value) !== undefined ? value : undefined;
}

/** Puts the run's `traceparent` where the SDK's interceptor looks for its parent: the start headers. */
class RequestTraceInterceptor implements WorkflowInboundCallsInterceptor {
  execute(input: WorkflowExecuteInput, next: Next<WorkflowInboundCallsInterceptor, 'execute'>): Promise<unknown> {
    const traceparent = traceparentOf(input.args);
    if (traceparent === undefined) return next(input);
    return next({ ...input, headers: { ...input.headers, [TRACE_HEADER]: defaultPayloadConverter.toPayload({ traceparent }) } });
  }
}

export const interceptors = (): WorkflowInterceptors => {
  if (LONG_LIVED.has(workflowInfo().workflowType)) return {};
  return {
    // The first inbound interceptor runs first: the header is in place before the span starts.
    inbound: [new RequestTraceInterceptor(), new OpenTelemetryInboundInterceptor()],
    outbound: [new OpenTelemetryOutboundInterceptor()],
    internals: [new OpenTelemetryInternalsInterceptor()],
  };
};
