import { formatDateTime } from '../i18n/dates.ts';
import type { Locale } from '../i18n/locales.ts';
import type { CampaignProgress } from './campaign.service.server.ts';
import type { FanoutView } from './push-ui.tsx';

/** A campaign's figures as the dashboard shows them, in the reader's language. */
export function fanoutView(campaign: CampaignProgress, locale: Locale): FanoutView {
  const number = new Intl.NumberFormat(locale === 'ja' ? 'ja-JP' : 'en-GB');
  const handled = campaign.sent + campaign.failed + campaign.deactivated;
  const fraction =
    campaign.state === 'done' ? 1 : campaign.devices === 0 ? 0 : handled / campaign.devices;
  const percent = Math.min(100, Math.floor(fraction * 1000) / 10);
  const [title, titleLang] =
    locale === 'en'
      ? campaign.titleEn
        ? [campaign.titleEn, 'en' as const]
        : [campaign.titleJa ?? '', 'ja' as const]
      : campaign.titleJa
        ? [campaign.titleJa, 'ja' as const]
        : [campaign.titleEn ?? '', 'en' as const];
  const finish = campaign.state === 'done' ? campaign.finishedAt : campaign.expectedFinish;
  return {
    id: campaign.id,
    noticeId: campaign.noticeId,
    title,
    titleLang,
    scope: campaign.scope,
    state: campaign.state,
    devices: number.format(campaign.devices),
    sent: number.format(campaign.sent),
    failed: number.format(campaign.failed),
    deactivated: number.format(campaign.deactivated),
    remaining: number.format(campaign.remaining),
    percent,
    percentText: `${percent.toFixed(1)}%`,
    startedAt: formatDateTime(campaign.windowStart, locale),
    expectedFinish: finish ? formatDateTime(finish, locale) : null,
  };
}
