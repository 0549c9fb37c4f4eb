import { describe, expect, it } from 'vitest';
import { registry } from '../platform/metrics.server.ts';
import { alertRules, selectedMetrics } from '../../test/support/alert-rules.ts';
// The modules that register the metrics /metrics serves (the HTTP front imports both).
import '../push/metrics.server.ts';
import './metrics.server.ts';

const file = alertRules();
const rules = file.groups.flatMap((g) => g.rules);

/** Every series name the registry exports, histogram and summary parts included. */
async function exportedNames(): Promise<Set<string>> {
  const names = new Set<string>();
  for (const metric of await registry.getMetricsAsJSON()) {
    names.add(metric.name);
    if (String(metric.type) === 'histogram')
      for (const part of ['_bucket', '_sum', '_count']) names.add(`${metric.name}${part}`);
  }
  return names;
}

describe('the Prometheus alert rules (docs/operations/alerts.yml)', () => {
  it('are rule groups of uniquely named alerts with an expression, labels and a summary', () => {
    expect(file.groups.length).toBeGreaterThan(0);
    const names = rules.map((r) => r.alert);
    expect(new Set(names).size).toBe(names.length);
    for (const rule of rules) {
      expect(rule.alert).toMatch(/^Madoguchi[A-Za-z]+$/);
      expect(rule.expr.trim()).not.toBe('');
      expect(rule.labels?.severity).toMatch(/^(page|ticket)$/);
      if (rule.for) expect(rule.for).toMatch(/^\d+[smhd]$/);
    }
  });

  it('cover 5xx rate, p95 over 1 s, backup age and failure, dead letters and push failures', () => {
    const exprs = rules.map((r) => r.expr).join('\n');
    expect(exprs).toMatch(/status_class="5xx"/);
    expect(exprs).toMatch(/histogram_quantile\(0\.95,[^]*\)\s*> 1\b/);
    expect(exprs).toMatch(/madoguchi_backup_last_success_age_seconds > 26 \* 3600/);
    expect(exprs).toMatch(/madoguchi_backup_last_result == 0/);
    expect(exprs).toMatch(/madoguchi_job_dead_letters/);
    expect(exprs).toMatch(/madoguchi_push_failures_total/);
  });

  it('are valid PromQL selecting only metrics /metrics exports', async () => {
    const exported = await exportedNames();
    for (const rule of rules) {
      const { names, errors } = selectedMetrics(rule.expr);
      expect(errors, `${rule.alert}: ${rule.expr}`).toBe(0);
      expect(names.length, rule.alert).toBeGreaterThan(0);
      for (const name of names) expect(exported, `${rule.alert} selects ${name}`).toContain(name);
    }
  });

  it('the PromQL check catches a broken expression', () => {
    expect(selectedMetrics('sum(rate(madoguchi_jobs_total[5m])').errors).toBeGreaterThan(0);
    expect(selectedMetrics('madoguchi_jobs_total >').errors).toBeGreaterThan(0);
  });
});
