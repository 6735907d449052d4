import { describe, expect, it } from 'vitest';
import { tracesEndpoint } from './tracing.js';
import { traceIdOf } from '../publishing/publishRequest.js';

describe('where traces go', () => {
  it('follow the standard OpenTelemetry variables: the traces endpoint, else the base endpoint with /v1/traces, else nowhere', () => {
    expect(tracesEndpoint({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://otel:4318/v1/traces' })).toBe('http://otel:4318/v1/traces');
    expect(tracesEndpoint({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otel:4318/' })).toBe('http://otel:4318/v1/traces');
    expect(tracesEndpoint({})).toBeUndefined();
    expect(tracesEndpoint({ OTEL_EXPORTER_OTLP_ENDPOINT: '' })).toBeUndefined();
  });
});

describe("a run's trace id", () => {
  it('is read from a W3C traceparent, and from nothing else', () => {
    expect(traceIdOf('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01')).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(traceIdOf('not a traceparent')).toBeUndefined();
    expect(traceIdOf(undefined)).toBeUndefined();
  });
});
