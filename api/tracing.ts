/**
 * Each request as a server span named by its method and matched route (the template, never the
 * raw URL with its values); everything the request does — auth, handlers, Temporal calls — runs
 * inside it. A no-op while tracing is off.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { context, trace, SpanKind, SpanStatusCode, type Span } from '@opentelemetry/api';
import { tracer } from '../observability/tracing.js';

const spans = new WeakMap<FastifyRequest, Span>();

export function installTracing(app: FastifyInstance): void {
  app.addHook('onRequest', (request: FastifyRequest, _reply: FastifyReply, done: () => void) => {
    const route = request.routeOptions.url ?? '(no route)';
    const span = tracer().startSpan(`${request.method} ${route}`, {
      kind: SpanKind.SERVER,
      attributes: { 'http.request.method': request.method, 'http.route': route },
    });
    spans.set(request, span);
    // The rest of the request's life runs in the span's context: its child spans and the traceparent it hands on.
    context.with(trace.setSpan(context.active(), span), done);
  });
  app.addHook('onResponse', (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
    const span = spans.get(request);
    if (span !== undefined) {
      span.setAttribute('http.response.status_code', reply.statusCode);
      if (reply.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    }
    done();
  });
}
