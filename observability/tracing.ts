/**
 * OpenTelemetry traces, exported by OTLP/HTTP when an endpoint is configured
 * (`OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`, or `OTEL_EXPORTER_OTLP_ENDPOINT` + `/v1/traces`): the API's
 * HTTP requests, its Temporal client calls (the SDK's client interceptor), the activities a run
 * executes and the Ed-Fi requests they make, as one trace from a clerk's click to the ODS answers.
 * A publish request carries its W3C `traceparent` (an id, never data) through the queue into the
 * category run, whose activities continue it. Spans name routes, resources, ids and statuses —
 * never a record, a name or a secret. Without an endpoint nothing is recorded.
 */
import { context, propagation, trace, SpanKind, SpanStatusCode, type Attributes, type Span } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { Resource } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import type { ActivityExecuteInput, ActivityInboundCallsInterceptor, ActivityInterceptorsFactory, Next } from '@temporalio/worker';
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
  const provider = new NodeTracerProvider({ resource: new Resource({ 'service.name': service }) });
  provider.addSpanProcessor(new BatchSpanProcessor(new OTLPTraceExporter({ url: endpoint }), { scheduledDelayMillis: 1_000 }));
  provider.register({ propagator: new W3CTraceContextPropagator() });
  return { endpoint, flush: () => provider.forceFlush(), shutdown: () => provider.shutdown() };
}

export const tracer = () => trace.getTracer(TRACER);

/** The active span's W3C `traceparent`, to carry in a workflow's input; undefined when nothing is traced. */
export function currentTraceparent(): string | undefined {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent;
}

/** Runs `fn` in a span, a child of `traceparent` when given (else of the active span). */
export async function inSpan<T>(
  name: string,
  how: { kind?: SpanKind; attributes?: Attributes; traceparent?: string | undefined },
  fn: (span: Span) => Promise<T>,
): Promise<T> {
  const parent = how.traceparent !== undefined ? propagation.extract(context.active(), { traceparent: how.traceparent }) : context.active();
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
 * Temporal's activity interceptor: each activity runs in a span continuing the run's trace (its
 * input's `traceparent`), named by the activity, with the run's ids and the resource and batch.
 */
export function tracingActivityInterceptor(): ActivityInterceptorsFactory {
  return (ctx: ActivityContext) => {
    const inbound: ActivityInboundCallsInterceptor = {
      execute(input: ActivityExecuteInput, next: Next<ActivityInboundCallsInterceptor, 'execute'>) {
        const arg = (input.args[0] ?? {}) as { traceparent?: unknown; resource?: unknown; batchNo?: unknown; phase?: unknown };
        const attributes: Attributes = {
          'temporal.activity.type': ctx.info.activityType,
          'temporal.activity.attempt': ctx.info.attempt,
        };
        if (ctx.info.workflowExecution !== undefined) attributes['temporal.workflow.id'] = ctx.info.workflowExecution.workflowId;
        if (typeof arg.resource === 'string') attributes['edfi.resource'] = arg.resource;
        if (typeof arg.batchNo === 'number') attributes['edx.batch'] = arg.batchNo;
        if (typeof arg.phase === 'string') attributes['edx.phase'] = arg.phase;
        const traceparent = typeof arg.traceparent === 'string' ? arg.traceparent : undefined;
        return inSpan(`activity ${ctx.info.activityType}`, { attributes, traceparent }, () => next(input));
      },
    };
    return { inbound };
  };
}
