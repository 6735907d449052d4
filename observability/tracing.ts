/**
 * OpenTelemetry traces, exported by OTLP/HTTP when an endpoint is configured
 * (`OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`, or `OTEL_EXPORTER_OTLP_ENDPOINT` + `/v1/traces`): the API's
 * HTTP requests, its Temporal client calls (the SDK's client interceptor), the runs' workflow spans
 * (`workflows/interceptors.ts`), the activities they schedule and the Ed-Fi requests those make, as
 * one trace from a clerk's click to the ODS answers. A publish request carries its W3C
 * `traceparent` (an id, never data) through the queue into the category run, whose span continues it. Spans name routes, resources, ids and statuses —
 * never a record, a name or a secret. Without an endpoint nothing is recorded.
 */
import { context, propagation, trace, SpanKind, SpanStatusCode, type Attributes, type Context, type Span } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { Resource } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider, type ReadableSpan, type SpanProcessor } from '@opentelemetry/sdk-trace-node';
import { makeWorkflowExporter, type OpenTelemetrySinks } from '@temporalio/interceptors-opentelemetry';
import { extractContextFromHeaders } from '@temporalio/interceptors-opentelemetry/lib/instrumentation.js';
import type { ActivityExecuteInput, ActivityInboundCallsInterceptor, ActivityInterceptorsFactory, InjectedSinks, Next } from '@temporalio/worker';
import type { Context as ActivityContext } from '@temporalio/activity';

const TRACER = 'edfi-exchange';

export interface Tracing {
  readonly endpoint: string;
  flush(): Promise<void>;
  shutdown(): Promise<void>;
}

/** Where traces go, from the standard OpenTelemetry variables; undefined: tracing is off. */
export function tracesEndpoint(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const traces = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
  if (traces !== undefined && traces !== '') return traces;
  const base = env.OTEL_EXPORTER_OTLP_ENDPOINT;
  return base !== undefined && base !== '' ? `${base.replace(/\/+$/, '')}/v1/traces` : undefined;
}

/** Registers the process's tracer provider when an endpoint is configured. */
export function startTracing(service: string, endpoint = tracesEndpoint()): Tracing | undefined {
  if (endpoint === undefined) return undefined;
  const resource = new Resource({ 'service.name': service });
  const provider = new NodeTracerProvider({ resource });
  const processor = new BatchSpanProcessor(new OTLPTraceExporter({ url: endpoint }), { scheduledDelayMillis: 1_000 });
  provider.addSpanProcessor(processor);
  provider.register({ propagator: new W3CTraceContextPropagator() });
  workflowExporter = makeWorkflowExporter(primitiveAttributesOnly(processor), resource).export;
  return {
    endpoint,
    flush: () => provider.forceFlush(),
    shutdown: async () => {
      workflowExporter = undefined;
      await provider.shutdown();
    },
  };
}

/** Where the worker's `exporter` sink sends the workflows' spans; undefined while tracing is off. */
let workflowExporter: InjectedSinks<OpenTelemetrySinks>['exporter']['export'] | undefined;

/**
 * The sink the SDK's workflow interceptors export their spans through (`workflows/interceptors.ts`).
 * It looks up the exporter per call, so a worker made before tracing starts still exports, and
 * while tracing is off the spans are dropped here.
 */
export function workflowTraceSinks(): InjectedSinks<OpenTelemetrySinks> {
  return { exporter: { export: { fn: (info, spans) => workflowExporter?.fn(info, spans) } } };
}

/**
 * The SDK copies the whole WorkflowInfo onto each workflow span; only its ids and names (plain
 * values) are kept — never a memo, search attributes or a previous run's result.
 */
function primitiveAttributesOnly(next: SpanProcessor): SpanProcessor {
  return {
    onStart: () => undefined,
    onEnd(span: ReadableSpan) {
      const attributes = span.attributes as Record<string, unknown>;
      for (const [key, value] of Object.entries(attributes)) {
        if (!['string', 'number', 'boolean'].includes(typeof value)) delete attributes[key];
      }
      next.onEnd(span);
    },
    forceFlush: () => next.forceFlush(),
    shutdown: () => next.shutdown(),
  };
}

export const tracer = () => trace.getTracer(TRACER);

/** The active span's W3C `traceparent`, to carry in a workflow's input; undefined when nothing is traced. */
export function currentTraceparent(): string | undefined {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent;
}

/** The active trace as a publish request's field (nothing while tracing is off): the run continues it. */
export function tracedRequest(): { traceparent?: string } {
  const traceparent = currentTraceparent();
  return traceparent !== undefined ? { traceparent } : {};
}

/** Runs `fn` in a span, a child of `parent` when given (else of the active span). */
export async function inSpan<T>(
  name: string,
  how: { kind?: SpanKind; attributes?: Attributes; parent?: Context | undefined },
  fn: (span: Span) => Promise<T>,
): Promise<T> {
  const parent = how.parent ?? context.active();
  return tracer().startActiveSpan(
    name,
    { kind: how.kind ?? SpanKind.INTERNAL, ...(how.attributes !== undefined ? { attributes: how.attributes } : {}) },
    parent,
    async (span) => {
      try {
        return await fn(span);
      } catch (err) {
        span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message.slice(0, 200) });
        throw err;
      } finally {
        span.end();
      }
    },
  );
}

/**
 * Temporal's activity interceptor: each activity runs in a span, named by the activity, with the
 * run's ids and the resource and batch. Its parent is the workflow's span that scheduled it (the
 * activity's headers, from `workflows/interceptors.ts`); an untraced workflow's activity starts a
 * trace of its own.
 */
export function tracingActivityInterceptor(): ActivityInterceptorsFactory {
  return (ctx: ActivityContext) => {
    const inbound: ActivityInboundCallsInterceptor = {
      execute(input: ActivityExecuteInput, next: Next<ActivityInboundCallsInterceptor, 'execute'>) {
        const arg = (input.args[0] ?? {}) as { resource?: unknown; batchNo?: unknown; phase?: unknown };
        const attributes: Attributes = {
          'temporal.activity.type': ctx.info.activityType,
          'temporal.activity.attempt': ctx.info.attempt,
        };
        if (ctx.info.workflowExecution !== undefined) attributes['temporal.workflow.id'] = ctx.info.workflowExecution.workflowId;
        if (typeof arg.resource === 'string') attributes['edfi.resource'] = arg.resource;
        if (typeof arg.batchNo === 'number') attributes['edx.batch'] = arg.batchNo;
        if (typeof arg.phase === 'string') attributes['edx.phase'] = arg.phase;
        const parent = extractContextFromHeaders(input.headers);
        return inSpan(`activity ${ctx.info.activityType}`, { attributes, parent }, () => next(input));
      },
    };
    return { inbound };
  };
}
