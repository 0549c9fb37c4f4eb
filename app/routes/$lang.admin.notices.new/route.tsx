import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { parseWithZod } from '@conform-to/zod/v4';
import type { RouteHandle } from '../../ui/title.ts';
import { requireStaff } from '../../identity/guards.server.ts';
import { publishNoticeByStaff } from '../../notices/notice-actions.service.server.ts';
import {
  describeMunicipality,
  type NoticeAudienceInput,
} from '../../notices/notice.service.server.ts';
import { audienceReport, checkAudienceUpload } from '../../notices/audience-csv.server.ts';
import { NoticeFormSchema, type AudienceReport } from '../../notices/notice.schema.ts';
import { pickLanguage } from '../../notices/notice.ts';
import { formatDateBoth, formatDateTime, toTokyoDateTimeLocal } from '../../i18n/dates.ts';
import { isLocale, locales } from '../../i18n/locales.ts';
import { ComposeForm } from './form.tsx';
import type { AudienceSummary, PreviewData } from './preview.tsx';

export const handle: RouteHandle = {
  title: 'adminNotices:compose.title',
  i18n: ['notices', 'adminNotices'],
  // The preview shows the resident page in both languages, each with its own labels.
  i18nEveryLanguage: ['notices'],
};

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireStaff(request, context, 'notices:write');
  return {
    // A fresh key per page view: submitting this form twice publishes one notice.
    idempotencyKey: crypto.randomUUID(),
    now: toTokyoDateTimeLocal(new Date()),
  };
}

export type CarriedList = { codes: string; count: number };

export async function action({ request, params, context }: ActionFunctionArgs) {
  const staff = await requireStaff(request, context, 'notices:write');
  const locale = isLocale(params.lang) ? params.lang : 'ja';
  const form = await request.formData();
  const submission = parseWithZod(form, { schema: NoticeFormSchema });
  const fieldErrors: Record<string, string[]> = {};

  // The list is checked whenever one comes with the form, even if other fields need fixing,
  // so one round trip reports everything. A checked list travels back to the page (a browser
  // cannot keep a chosen file across a server round trip without JavaScript).
  let report: AudienceReport | null = null;
  let carried: CarriedList | null = null;
  let listIds: string[] = [];
  if (form.get('audience') === 'list') {
    const file = form.get('audienceFile');
    const codes = form.get('audienceCodes');
    const check = await checkAudienceUpload(
      context.db,
      file instanceof File ? file : undefined,
      typeof codes === 'string' ? codes : undefined,
    );
    if (check?.ok) {
      carried = { codes: check.codes.join('\n'), count: check.codes.length };
      listIds = check.residentIds;
    } else if (check) {
      report = audienceReport(check);
      fieldErrors.audienceFile = [
        check.fileError ? `csv.fileError.${check.fileError}` : 'errors.fileRows',
      ];
    } else fieldErrors.audienceFile = ['errors.fileRequired']; // never a notice to nobody
  }

  const value = submission.status === 'success' ? submission.value : null;
  let municipality: { name: string; residents: number } | null = null;
  if (value?.audience === 'municipality') {
    municipality = await describeMunicipality(context.db, value.municipalityCode);
    if (!municipality) fieldErrors.municipalityCode = ['errors.municipalityUnknown'];
  }

  const hideFields = ['audienceCodes'];
  if (!value || Object.keys(fieldErrors).length > 0) {
    return data(
      {
        result: submission.reply(
          Object.keys(fieldErrors).length > 0 ? { fieldErrors, hideFields } : { hideFields },
        ),
        report,
        carried,
        preview: null,
      },
      { status: 400 },
    );
  }

  const audience: NoticeAudienceInput =
    value.audience === 'list'
      ? { type: 'list', residentIds: listIds }
      : value.audience === 'municipality'
        ? { type: 'municipality', municipalityCode: value.municipalityCode }
        : { type: 'all' };
  const summary: AudienceSummary =
    audience.type === 'list'
      ? { type: 'list', count: listIds.length }
      : audience.type === 'municipality' && municipality
        ? { type: 'municipality', code: audience.municipalityCode, ...municipality }
        : { type: 'all' };

  if (value.intent === 'preview') {
    const shownAt = value.publishAt ?? new Date();
    const preview: PreviewData = {
      sender: value.sender,
      audience: summary,
      publishAt: value.publishAt ? formatDateTime(value.publishAt, locale) : null,
      expiresAt: value.expiresAt ? formatDateTime(value.expiresAt, locale) : null,
      pages: locales.map((pageLocale) => ({
        locale: pageLocale,
        ...pickLanguage(value, pageLocale),
        date: formatDateBoth(shownAt, pageLocale),
        iso: shownAt.toISOString(),
      })),
    };
    return { result: submission.reply({ hideFields }), report: null, carried, preview };
  }

  const publishAt = value.publishAt ?? new Date();
  const published = await publishNoticeByStaff(
    context.db,
    staff.actor,
    {
      audience,
      sender: value.sender,
      titleJa: value.titleJa,
      bodyJa: value.bodyJa,
      titleEn: value.titleEn,
      bodyEn: value.bodyEn,
      publishAt,
      expiresAt: value.expiresAt,
      createdBy: staff.session.accountId,
      idempotencyKey: value.idempotencyKey,
    },
    {
      boss: context.boss,
      scheduled: value.publishAt !== null,
      municipalityResidents: summary.type === 'municipality' ? summary.residents : undefined,
    },
  );
  // A repeated submission of the same form lands on the notice the first one published.
  return redirect(`/${locale}/admin/notices/${published.id}?published=1`);
}

export default function ComposeNotice() {
  return <ComposeForm />;
}
