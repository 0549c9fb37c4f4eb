import type { Selectable } from 'kysely';
import type { NoticeTable } from '../../db/schema.ts';
import ja from '../locales/ja/push.ts';
import en from '../locales/en/push.ts';
import type { PushMessage } from './channels/channel.ts';

export type NoticeForPush = Pick<Selectable<NoticeTable>, 'id' | 'kind' | 'titleJa' | 'titleEn'>;

const strings = { ja, en };

/**
 * The push for one notice in the device's language, falling back to the language the notice
 * exists in; the notice title says what it is about, the portal path opens it. Every push of
 * a notice shares one topic, so a device that was offline gets the newest one, not a flood.
 */
export function noticeMessage(
  notice: NoticeForPush,
  locale: 'ja' | 'en',
  ttlSeconds: number,
): PushMessage {
  const lang: 'ja' | 'en' =
    locale === 'en' ? (notice.titleEn ? 'en' : 'ja') : notice.titleJa ? 'ja' : 'en';
  const title = (lang === 'ja' ? notice.titleJa : notice.titleEn) ?? '';
  return {
    noticeId: notice.id,
    lang,
    title: strings[lang].message.title,
    body: title.length > 200 ? `${title.slice(0, 199)}…` : title,
    path: `/${lang}/notices/${notice.id}`,
    topic: 'new-notice',
    ttlSeconds,
    urgency: notice.kind === 'targeted' ? 'high' : 'normal',
  };
}
