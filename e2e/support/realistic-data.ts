import { randomInt, randomUUID } from 'node:crypto';
import { recordAudit } from '../../app/audit/audit.service.server.ts';
import { publishNotice } from '../../app/notices/notice.service.server.ts';
import { senders } from '../../app/notices/notice.ts';
import { upsertGroup } from '../../app/identity/staff-groups.service.server.ts';
import type { Permission } from '../../app/identity/permissions.ts';
import { appDatabase } from './app.ts';

/**
 * Data as a real installation holds it: many rows and the longest values the rules allow.
 * Pages checked only with one short row hide what happens on a phone (a filter as wide as
 * its longest option, a table squeezed until a date reads one digit per line), so the specs
 * that run the page check on lists seed these first.
 */

/** A Japanese notice title of realistic length, with a unique tag to find it by. */
const longTitleJa = (tag: string) =>
  `令和8年度 後期高齢者医療保険料額決定通知書の送付および口座振替・年金からの特別徴収に関するご案内（${tag}）`;
export const longTitleEn = (tag: string) =>
  `Notice of your later-stage elderly medical insurance premium for fiscal 2026, with how to pay by account transfer or pension deduction (${tag})`;

/** `count` notices to one resident, from every sender, with long titles; newest first in the inbox. */
export async function seedInbox(residentId: string, tag: string, count = 25) {
  const { db } = appDatabase();
  const ids: string[] = [];
  for (let n = 0; n < count; n++) {
    const { id } = await publishNotice(db, {
      audience: { type: 'list', residentIds: [residentId] },
      sender: senders[n % senders.length]!,
      titleJa: longTitleJa(`${tag}-${n}`),
      bodyJa: '本文',
      titleEn: n % 2 ? longTitleEn(`${tag}-${n}`) : null,
      bodyEn: n % 2 ? 'Body' : null,
      publishAt: new Date(Date.UTC(2026, 10, 1 + n, 1)),
      expiresAt: null,
      createdBy: null,
    });
    ids.push(id);
  }
  return ids;
}

/** `count` audit records with the longest kinds of value each column shows. */
export async function seedAudit(count = 30, actorId: string = randomUUID()) {
  const { db } = appDatabase();
  for (let n = 0; n < count; n++) {
    await recordAudit(db, {
      actorType: n % 3 ? 'staff' : 'resident',
      actorId,
      onBehalfOfResidentId: n % 4 ? null : randomUUID(),
      action: 'insurance.certificate_download_request',
      targetType: 'insurance_qualification_record',
      targetId: `${randomUUID()}-${String(randomInt(1e9)).padStart(10, '0')}`,
      outcome: n % 5 ? 'success' : 'denied',
      ip: n % 2 ? '2001:db8:85a3:1234:5678:8a2e:370:7334' : '203.0.113.254',
    });
  }
  return actorId;
}

/** `count` staff groups with long names and descriptions, each with a few permissions. */
export async function seedGroups(tag: string, count = 8) {
  const { db } = appDatabase();
  const some: Permission[][] = [['residents:read'], ['notices:write', 'delivery:read'], []];
  for (let n = 0; n < count; n++)
    await upsertGroup(db, {
      name: `保険年金課 国民健康保険係 資格・賦課担当 ${tag}-${n}`,
      description: '国民健康保険の資格取得・喪失の届出受付と保険料の賦課、減免申請の審査を担当する',
      permissions: some[n % some.length]!,
    });
}

/** A notice to these residents in each of the last `months` months, so every month has figures. */
export async function seedMonthlyNotices(residentIds: string[], tag: string, months = 12) {
  const { db } = appDatabase();
  const now = new Date();
  for (let m = 0; m < months; m++)
    await publishNotice(db, {
      audience: { type: 'list', residentIds },
      sender: 'mhlw',
      titleJa: longTitleJa(`${tag}-${m}`),
      bodyJa: '本文',
      titleEn: longTitleEn(`${tag}-${m}`),
      bodyEn: 'Body',
      publishAt: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - m, 1, 3)),
      expiresAt: null,
      createdBy: null,
    });
}
