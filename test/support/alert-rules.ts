import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { parser } from '@prometheus-io/lezer-promql';

export type AlertRule = {
  alert: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
};

/** docs/operations/alerts.yml, read with a real YAML parser. */
export function alertRules(): { groups: { name: string; rules: AlertRule[] }[] } {
  return parse(readFileSync('docs/operations/alerts.yml', 'utf8')) as {
    groups: { name: string; rules: AlertRule[] }[];
  };
}

/** Metric names an expression selects, and its syntax errors, from the PromQL syntax tree. */
export function selectedMetrics(expr: string): { names: string[]; errors: number } {
  const names: string[] = [];
  let errors = 0;
  parser.parse(expr).iterate({
    enter(node) {
      if (node.type.isError) errors++;
      if (node.name === 'Identifier' && node.node.parent?.name === 'VectorSelector')
        names.push(expr.slice(node.from, node.to));
    },
  });
  return { names, errors };
}
