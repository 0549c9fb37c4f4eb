import type { ReactNode } from 'react';
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useParams } from '@remix-run/react';
import { z } from 'zod';
import { useTranslation } from '../../i18n/react.tsx';
import { requireStaff } from '../../identity/guards.server.ts';
import { findResident, viewResident } from '../../identity/residents.server.ts';
import { issueFirstAccessLetter } from '../../identity/letter-desk.service.server.ts';
import { findLettersByResident } from '../../letters/letter.repository.server.ts';
import { aroundValue, letterStatus, VALUE_MARK } from '../../letters/letter.ts';
import { formatDateBoth, formatDateTime, tokyoDayStart } from '../../i18n/dates.ts';
import { isLocale, translator } from '../../i18n/locales.ts';
import { LettersTable } from './letters-table.tsx';
import { userText } from '../../ui/user-text.ts';
import { RecordTable } from '../../ui/record-table.tsx';
import type { RouteHandle } from '../../ui/title.ts';

export const handle: RouteHandle = { i18n: ['adminResidents'] };

const ResidentId = z.uuid();
const IssueSchema = z.object({ intent: z.literal('issue'), idempotencyKey: z.uuid() });

async function residentOr404(context: LoaderFunctionArgs['context'], residentId?: string) {
  const id = ResidentId.safeParse(residentId);
  const resident = id.success ? await findResident(context.db, id.data) : undefined;
  if (!resident) throw new Response('Not Found', { status: 404 });
  return resident;
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const staff = await requireStaff(request, context, 'residents:read');
  const locale = isLocale(params.lang) ? params.lang : 'ja';
  const id = ResidentId.safeParse(params.residentId);
  const resident = id.success ? await viewResident(context.db, staff.actor, id.data) : undefined;
  if (!resident) throw new Response('Not Found', { status: 404 });
  const letters = await findLettersByResident(context.db, resident.id);
  const date = (d: Date) => formatDateBoth(d, locale);
  const now = new Date();
  return {
    title: translator(locale)('adminResidents:detail.title', { name: resident.name }),
    resident: {
      id: resident.id,
      name: resident.name,
      nameKana: resident.nameKana,
      nameLatin: resident.nameLatin,
      birthDate: date(tokyoDayStart(resident.birthDate)),
      sex: resident.sex,
      address: resident.address,
      municipalityName: resident.municipalityName,
      municipalityCode: resident.municipalityCode,
      registerCode: resident.registerCode,
      cardManufactureNumber: resident.cardManufactureNumber,
      updatedAt: formatDateTime(resident.updatedAt, locale),
    },
    letters: letters.map((l) => ({
      id: l.id,
      code: l.code,
      purpose: l.purpose,
      issued: date(l.issuedAt),
      expires: date(l.expiresAt),
      status: letterStatus(l, now),
      statusDate: l.usedAt ? date(l.usedAt) : l.revokedAt ? date(l.revokedAt) : '',
    })),
    canIssue: staff.permissions.has('letters:issue'),
    // A fresh key per page view: submitting this page twice issues one letter.
    idempotencyKey: crypto.randomUUID(),
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const staff = await requireStaff(request, context, 'letters:issue');
  const resident = await residentOr404(context, params.residentId);
  const parsed = IssueSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return data({ error: 'invalid' as const }, { status: 400 });
  const issued = await issueFirstAccessLetter(
    context.db,
    context.secrets,
    { ...staff.actor, actorId: staff.session.accountId },
    { residentId: resident.id, idempotencyKey: parsed.data.idempotencyKey },
  );
  if (issued.outcome === 'conflict') return data({ error: 'invalid' as const }, { status: 409 });
  return redirect(`/${params.lang}/admin/letters/${issued.letterId}/print`);
}

export default function ResidentDetail() {
  const { t } = useTranslation('adminResidents');
  const { lang } = useParams();
  const { resident, letters, canIssue, idempotencyKey } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const heading = aroundValue(t('detail.title', { name: VALUE_MARK }));
  const unused = letters.find((l) => l.purpose === 'first_access' && l.status === 'active');
  const none = <span className="hint">{t('detail.none')}</span>;
  const rows: [string, ReactNode][] = [
    [t('detail.name'), <span lang="ja">{userText(resident.name)}</span>],
    [t('detail.nameKana'), <span lang="ja">{userText(resident.nameKana)}</span>],
    [t('detail.nameLatin'), resident.nameLatin ?? none],
    [t('detail.birthDate'), resident.birthDate],
    [t('detail.sex'), t(`detail.sexValue.${resident.sex}`)],
    [t('detail.address'), <span lang="ja">{userText(resident.address)}</span>],
    [
      t('detail.municipality'),
      <>
        <span lang="ja">{resident.municipalityName}</span> ({resident.municipalityCode})
      </>,
    ],
    [t('detail.registerCode'), <span translate="no">{resident.registerCode}</span>],
    [
      t('detail.cardNumber'),
      resident.cardManufactureNumber ? (
        <span translate="no">{resident.cardManufactureNumber}</span>
      ) : (
        none
      ),
    ],
    [t('detail.updatedAt'), resident.updatedAt],
  ];

  return (
    <div className="page">
      <p>
        <Link to={`/${lang}/admin/residents`}>{t('detail.back')}</Link>
      </p>
      <h1>
        {heading.before}
        <span lang="ja">{userText(resident.name)}</span>
        {heading.after}
      </h1>

      <h2 id="record-title">{t('detail.record')}</h2>
      <RecordTable labelledBy="record-title" rows={rows} />

      <h2 id="letters-title">{t('detail.letters')}</h2>
      {letters.length === 0 ? <p>{t('detail.lettersNone')}</p> : <LettersTable />}

      {canIssue ? (
        <section aria-labelledby="issue-title">
          <h2 id="issue-title">{t('issue.title')}</h2>
          {result?.error ? (
            <div className="error-summary" role="alert" tabIndex={-1}>
              <p>{t(`issue.errors.${result.error}`)}</p>
            </div>
          ) : null}
          <p>{t('issue.lead')}</p>
          {unused ? (
            <p className="notice notice--warning">{t('issue.replaces', { code: unused.code })}</p>
          ) : null}
          <Form method="post" className="button-row">
            <input type="hidden" name="intent" value="issue" />
            <input type="hidden" name="idempotencyKey" value={idempotencyKey} />
            <button type="submit" className="button button--primary">
              {t('issue.button')}
            </button>
          </Form>
        </section>
      ) : null}
    </div>
  );
}
