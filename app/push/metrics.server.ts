import type { PgBoss } from 'pg-boss';
import { Counter, Gauge } from 'prom-client';
import type { Db } from '../../db/connection.ts';
import { countCampaignsByState } from './push.repository.server.ts';

import { registry } from '../platform/metrics.server.ts';

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

const queueDepth = new Gauge({
  name: 'madoguchi_queue_depth',
  help: 'Jobs per queue and state (queued, active, deferred)',
  labelNames: ['queue', 'state'] as const,
  registers: [registry],
});

const campaigns = new Gauge({
  name: 'madoguchi_push_campaigns',
  help: 'Push fan-outs by state',
  labelNames: ['state'] as const,
  registers: [registry],
});

/**
 * The Prometheus text for one scrape. Send counters are this process's own (sum them over
 * processes); queue depth and campaigns are read from the database, so any process tells
 * the same.
 */
export async function renderMetrics(boss: PgBoss, db: Db): Promise<string> {
  queueDepth.reset();
  for (const queue of await boss.getQueues()) {
    queueDepth.set({ queue: queue.name, state: 'ready' }, queue.readyCount);
    queueDepth.set({ queue: queue.name, state: 'deferred' }, queue.deferredCount);
    queueDepth.set({ queue: queue.name, state: 'active' }, queue.activeCount);
    queueDepth.set({ queue: queue.name, state: 'failed' }, queue.failedCount);
  }
  campaigns.reset();
  const rows = await countCampaignsByState(db);
  for (const state of ['running', 'paused', 'cancelled', 'done'])
    campaigns.set({ state }, rows.find((r) => r.state === state)?.n ?? 0);
  return registry.metrics();
}
