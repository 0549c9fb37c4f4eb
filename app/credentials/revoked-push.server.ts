/**
 * The push that tells the resident's apps their credentials were revoked (decision 0062
 * addendum): `type: "credential_revoked"`, the credential configuration ids and whether a new
 * credential may be asked for now — no personal data —, sent through the push channels (Web
 * Push, FCM, APNs) to each live registration a linked app made for the resident, once per
 * revocation. The targeted notice the revocation publishes is named in it (noticeId, url).
 */
import type { Db } from '../../db/connection.ts';
import type { Device, PushMessage } from '../push/channels/channel.ts';
import { deliver } from '../push/deliver.server.ts';
import {
  findAppDevicesOf,
  findLiveRegistration,
  updateRegistrationsToGone,
} from '../push/push.repository.server.ts';
import type { PushRuntime } from '../push/runtime.server.ts';
import ja from '../locales/ja/credentials.ts';
import en from '../locales/en/credentials.ts';
import { documentTypes } from './doctypes.ts';
import { findDoctypesOf } from './revocation.repository.server.ts';

export type RevokedPush = {
  residentId: string;
  noticeId: string;
  credentialIds: string[];
  reissueAvailable: boolean;
};

/** The message for one device, in its language. */
export function credentialRevokedMessage(
  job: Pick<RevokedPush, 'noticeId' | 'reissueAvailable'>,
  configurationIds: string[],
  locale: 'ja' | 'en',
  ttlSeconds: number,
): PushMessage {
  const s = locale === 'en' ? en : ja;
  return {
    noticeId: job.noticeId,
    lang: locale,
    title: s.notice.title,
    body: job.reissueAvailable ? s.notice.reissue : s.notice.noReissue,
    path: `/${locale}/notices/${job.noticeId}`,
    topic: 'credential-revoked',
    ttlSeconds,
    urgency: 'high',
    event: {
      type: 'credential_revoked',
      credentialConfigurationIds: configurationIds,
      reissueAvailable: job.reissueAvailable,
    },
  };
}

/** Sends the push to every app registration of the resident; how each went. */
export async function pushCredentialRevoked(
  deps: { db: Db; push: PushRuntime },
  job: RevokedPush,
): Promise<{ sent: number; gone: number; failed: number }> {
  const { db, push } = deps;
  const doctypes = await findDoctypesOf(db, job.residentId, job.credentialIds);
  const configurationIds = doctypes.map(
    (doctype) => documentTypes.find((d) => d.doctype === doctype)?.configurationId ?? doctype,
  );
  const devices = await findAppDevicesOf(db, job.residentId);
  const tally = { sent: 0, gone: 0, failed: 0 };
  const gone: string[] = [];
  await Promise.all(
    devices.map(async (device: Device) => {
      const outcome = await deliver(
        push.senders[device.channel],
        device,
        credentialRevokedMessage(job, configurationIds, device.locale, push.config.ttlSeconds),
        { stillLive: async () => (await findLiveRegistration(db, device.id)) !== undefined },
      );
      if (outcome.kind === 'sent') tally.sent++;
      else if (outcome.kind === 'gone') {
        tally.gone++;
        gone.push(device.id);
      } else tally.failed++;
    }),
  );
  if (gone.length > 0)
    await db.transaction().execute((trx) => updateRegistrationsToGone(trx, gone, push.now()));
  return tally;
}
