import type { TFunction } from 'i18next';
import { csvText } from '../csv/csv-write.ts';
import type { MonthlyTotal } from './delivery.ts';

const CSV_COLUMNS = ['month', 'category', 'notices', 'deliveries', 'opens', 'openRate'] as const;

/**
 * The monthly totals as CSV for Excel: UTF-8 with a BOM, CRLF line ends, a header in the
 * reader's language. Figures are plain numbers (no grouping); the open rate is a percentage
 * with one decimal place, empty when nothing was delivered.
 */
export function deliveryCsv(rows: readonly MonthlyTotal[], t: TFunction): string {
  const lines = [
    CSV_COLUMNS.map((c) => t(`delivery:csv.${c}`)),
    ...rows.map((r) => [
      r.month,
      t(`delivery:category.${r.category}`),
      String(r.notices),
      String(r.deliveries),
      String(r.opens),
      r.openRate === null ? '' : (Math.round(r.openRate * 1000) / 10).toFixed(1),
    ]),
  ];
  return csvText(lines);
}
