/**
 * Staff pause, resume or cancel a push fan-out from the delivery page; each change is
 * recorded ('push.pause' / 'push.resume' / 'push.cancel') in the transaction that makes it. A
 * repeated click changes and records nothing.
 */
import type { PgBoss } from 'pg-boss';
import type { Db } from '../../db/connection.ts';
import { recordAudit } from '../audit/audit.service.server.ts';
import type { AuditActor } from '../audit/audit.ts';
import {
  cancelCampaign,
  pauseCampaign,
  resumeCampaign,
  type CampaignProgress,
} from './campaign.service.server.ts';

export type CampaignAction = 'pause' | 'resume' | 'cancel';

export async function changeCampaign(
  db: Db,
  boss: PgBoss,
  actor: AuditActor,
  campaign: Pick<CampaignProgress, 'id' | 'noticeId' | 'state' | 'sent'>,
  action: CampaignAction,
  now = new Date(),
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const changed =
      action === 'pause'
        ? await pauseCampaign(trx, campaign.id)
        : action === 'resume'
          ? await resumeCampaign(trx, boss, campaign.id, now)
          : await cancelCampaign(trx, campaign.id);
    if (changed)
      await recordAudit(trx, {
        ...actor,
        action: `push.${action}`,
        targetType: 'notice',
        targetId: campaign.noticeId,
        outcome: 'success',
        details: { campaignId: campaign.id, previousState: campaign.state, sent: campaign.sent },
      });
    return changed;
  });
}
