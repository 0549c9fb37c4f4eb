import type { Db } from '../../db/connection.ts';
import { recordAudit } from '../audit/audit.service.server.ts';
import type { AuditActor } from '../audit/audit.ts';
import { monthlyDeliveryTotals } from './delivery.service.server.ts';
import type { MonthlyTotal } from './delivery.ts';
import type { Period } from './period.ts';

/** Staff export the monthly totals as CSV: the read is recorded ('delivery.export'). */
export async function exportMonthlyDeliveryTotals(
  db: Db,
  actor: AuditActor,
  period: Period,
  now = new Date(),
): Promise<MonthlyTotal[]> {
  const totals = await monthlyDeliveryTotals(db, period, now);
  await recordAudit(db, {
    ...actor,
    action: 'delivery.export',
    outcome: 'success',
    details: { ...period, rows: totals.length },
  });
  return totals;
}
