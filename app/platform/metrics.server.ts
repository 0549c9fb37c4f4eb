import { Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The process's one metrics registry, served at /metrics (Prometheus text format) by the HTTP
 * front (app/server/http.server.ts). Domains register their own counters on it; the process
 * metrics (memory, event-loop lag, handles) are collected here once.
 */
export const registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: 'madoguchi_' });
