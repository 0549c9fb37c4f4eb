import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Link, useActionData, useLoaderData, useParams } from '@remix-run/react';
import { parseWithZod } from '@conform-to/zod/v4';
import { z } from 'zod';
import { useTranslation } from '../../i18n/react.tsx';
import type { RouteHandle } from '../../ui/title.ts';
import { Notice } from '../../ui/form.tsx';
import { requireStaff } from '../../identity/guards.server.ts';
import { formatDateBoth, formatDateTime, tokyoDayStart } from '../../i18n/dates.ts';
import { isLocale } from '../../i18n/locales.ts';
import { ClearSchema, RenewSchema } from '../../targets/renewal.schema.ts';
import { closeRenewalTarget, readRenewal } from '../../targets/renewal.service.server.ts';
import { clerkOf } from '../../targets/staff-clerk.server.ts';
import { reissueCredentials } from '../../targets/target-credentials.service.server.ts';
import { RenewalFacts } from './facts.tsx';
import { ClearForm, RenewForm } from './close-forms.tsx';
import { ReissueSection } from './reissue-section.tsx';

export const handle: RouteHandle = { title: 'adminRenewals:detail.title', i18n: ['adminRenewals'] };

const renewalId = (value: string | undefined) => {
  const id = z.uuid().safeParse(value);
  if (!id.success) throw new Response('Not Found', { status: 404 });
  return id.data;
};

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const staff = await requireStaff(request, context, 'renewals:manage');
  const locale = isLocale(params.lang) ? params.lang : 'ja';
  const clerk = clerkOf(staff, context.env);
  const found = await readRenewal(context.db, clerk.actor, {
    municipalityCode: clerk.municipalityCode,
    id: renewalId(params.renewalId),
  });
  if (!found) throw new Response('Not Found', { status: 404 });
  const when = (d: Date | null) => (d ? formatDateTime(d, locale) : null);
  const { reservationId, ...rest } = found;
  return {
    // The booking password can be reissued once the form gave one (decision 0055 addendum).
    credentials: found.state === 'active' && reservationId !== null,
    confirmReissue: new URL(request.url).searchParams.get('reissue') === 'confirm',
    renewal: {
      ...rest,
      birthDate: formatDateBoth(tokyoDayStart(found.birthDate), locale),
      certificateExpiresOn: found.certificateExpiresOn
        ? formatDateBoth(tokyoDayStart(found.certificateExpiresOn), locale)
        : null,
      createdAt: when(found.createdAt),
      renewedAt: when(found.renewedAt),
      clearedAt: when(found.clearedAt),
    },
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const staff = await requireStaff(request, context, 'renewals:manage');
  const clerk = clerkOf(staff, context.env);
  const id = renewalId(params.renewalId);
  const form = await request.formData();
  if (form.get('intent') === 'reissue') {
    // A new password: the old form and QR code stop working, booking sessions end (audited).
    const fresh = await reissueCredentials(
      context.db,
      context.secrets,
      clerk.actor,
      clerk.municipalityCode,
      id,
      new Date(),
      'renewalTarget',
    );
    return { intent: 'reissue' as const, reissued: fresh !== null, at: Date.now() };
  }
  const intent = form.get('intent') === 'clear' ? 'clear' : 'renew';
  const submission =
    intent === 'clear'
      ? parseWithZod(form, { schema: ClearSchema })
      : parseWithZod(form, { schema: RenewSchema });
  if (submission.status !== 'success')
    return data(
      { intent, result: submission.reply(), outcome: null, at: Date.now() },
      { status: 400 },
    );
  const value = submission.value;
  const closed = await closeRenewalTarget(
    context.db,
    clerk.actor,
    { municipalityCode: clerk.municipalityCode, id },
    value.intent === 'clear'
      ? { state: 'cleared', reason: value.reason, note: value.note }
      : { state: 'renewed' },
  );
  if (closed.outcome === 'not_found') throw new Response('Not Found', { status: 404 });
  return {
    intent,
    result: submission.reply({ resetForm: true }),
    outcome: closed.outcome,
    reason: value.intent === 'clear' ? value.reason : null,
    at: Date.now(),
  };
}

export default function RenewalDetail() {
  const { t } = useTranslation('adminRenewals');
  const { lang } = useParams();
  const { renewal, credentials, confirmReissue } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const done = answer && 'outcome' in answer && answer.outcome ? answer : null;
  const reissued =
    answer && 'reissued' in answer && typeof answer.reissued === 'boolean'
      ? { reissued: answer.reissued, at: answer.at }
      : null;
  return (
    <div className="page">
      <h1 lang="ja">{renewal.name}</h1>
      <p>{t('detail.title')}</p>
      {done ? (
        <Notice tone={done.outcome === 'not_active' ? 'warning' : 'success'} focusKey={done.at}>
          {done.outcome === 'renewed'
            ? t('renew.done')
            : done.outcome === 'cleared'
              ? t('clear.done', {
                  reason: t(`reason.${'reason' in done ? done.reason : 'moved_out'}`),
                })
              : t('close.notActive')}
        </Notice>
      ) : null}
      <RenewalFacts renewal={renewal} />
      <p>
        <a href={`/${lang}/admin/renewals/print?id=${renewal.id}`}>{t('detail.print')}</a>
      </p>
      {credentials || reissued ? (
        <ReissueSection renewalId={renewal.id} confirming={confirmReissue} done={reissued} />
      ) : null}
      {renewal.state === 'active' ? (
        <>
          <RenewForm />
          <ClearForm />
        </>
      ) : (
        <p className="notice notice--info">{t('detail.closedNotice')}</p>
      )}
      <p>
        <Link to={`/${lang}/admin/renewals`}>{t('detail.back')}</Link>
      </p>
    </div>
  );
}
