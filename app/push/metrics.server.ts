import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';

/** Process-wide metrics, exposed at /metrics (Prometheus text format). */
export const registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: 'madoguchi_' });

export const pushSends = new Counter({
  name: 'madoguchi_push_sends_total',
  help: 'Push attempts by channel and outcome (sent, gone, retry, permanent, error)',
  labelNames: ['channel', 'outcome'] as const,
  registers: [registry],
});

export const pushFailures = new Counter({
  name: 'madoguchi_push_failures_total',
  help: 'Pushes that finally failed, by class (permanent, retry-exhausted, error)',
  labelNames: ['channel', 'class'] as const,
  registers: [registry],
});

export const pushDeactivations = new Counter({
  name: 'madoguchi_push_deactivations_total',
  help: 'Registrations deactivated because the provider said the device is gone',
  labelNames: ['channel'] as const,
  registers: [registry],
});

export const queueDepth = new Gauge({
  name: 'madoguchi_queue_depth',
  help: 'Jobs per queue and state (queued, active, deferred)',
  labelNames: ['queue', 'state'] as const,
  registers: [registry],
});
