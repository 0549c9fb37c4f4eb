import { EmailAddress } from '../ui/layout.tsx';
import { Form, Link, useLoaderData, useParams } from '@remix-run/react';
import type { LoaderFunctionArgs } from '@remix-run/node';
import { useTranslation } from '../i18n/react.tsx';
import { z } from 'zod';
import type { RouteHandle } from '../ui/title.ts';
import { Field, Notice } from '../ui/form.tsx';
import { TableRegion } from '../ui/table-region.tsx';
import { requireStaff } from '../identity/guards.server.ts';
import { formatDateTime, isoInstant } from '../i18n/dates.ts';
import { isLocale } from '../i18n/locales.ts';
import { listRecentMail } from '../mail/mail.service.server.ts';
import { MAIL_STATUSES } from '../mail/mail.ts';

export const handle: RouteHandle = { title: 'adminMail:title', i18n: ['adminMail'] };

const LIMIT = 100;
const StatusSchema = z.enum(MAIL_STATUSES);

/**
 * Recent outbox messages (decision 0049). Without SMTP_URL this is the local mailbox: every
 * message is kept here as 'held' instead of being sent.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  await requireStaff(request, context, 'mail:read');
  const locale = isLocale(params.lang) ? params.lang : 'ja';
  const parsed = StatusSchema.safeParse(new URL(request.url).searchParams.get('status'));
  const status = parsed.success ? parsed.data : undefined;
  const messages = await listRecentMail(context.db, { status, limit: LIMIT });
  return {
    localMailbox: context.env.SMTP_URL === undefined,
    status: status ?? '',
    messages: messages.map((m) => ({
      id: m.id,
      to: m.to,
      subject: m.subject,
      locale: m.locale,
      kind: m.kind,
      status: m.status,
      at: isoInstant(m.createdAt),
      time: formatDateTime(m.createdAt, locale),
    })),
  };
}

export default function AdminMail() {
  const { t } = useTranslation('adminMail');
  const { lang } = useParams();
  const { localMailbox, status, messages } = useLoaderData<typeof loader>();
  return (
    <>
      <div className="page">
        <h1>{t('title')}</h1>
        <p>{t('lead')}</p>
        {localMailbox ? (
          <Notice tone="info">
            <p>{t('localMailbox')}</p>
          </Notice>
        ) : null}
        <Form method="get" action={`/${lang}/admin/mail`} className="form">
          <Field id="status" label={t('filter.label')}>
            {(describedBy) => (
              <select
                id="status"
                name="status"
                defaultValue={status}
                aria-describedby={describedBy}
              >
                <option value="">{t('filter.all')}</option>
                {MAIL_STATUSES.map((s) => (
                  <option key={s} value={s}>
                    {t(`status.${s}`)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <div className="button-row">
            <button type="submit" className="button">
              {t('filter.submit')}
            </button>
          </div>
        </Form>
      </div>
      {messages.length === 0 ? (
        <p className="page">{t('none')}</p>
      ) : (
        <section aria-labelledby="mail-caption">
          <p>{t('count', { n: messages.length })}</p>
          <TableRegion labelledBy="mail-caption">
            <table>
              <caption id="mail-caption">{t('caption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('column.time')}</th>
                  <th scope="col">{t('column.subject')}</th>
                  <th scope="col">{t('column.to')}</th>
                  <th scope="col">{t('column.kind')}</th>
                  <th scope="col">{t('column.status')}</th>
                </tr>
              </thead>
              <tbody>
                {messages.map((m) => (
                  <tr key={m.id}>
                    <td>
                      <time dateTime={m.at}>{m.time}</time>
                    </td>
                    <th scope="row">
                      <Link to={`/${lang}/admin/mail/${m.id}`} lang={m.locale}>
                        {m.subject}
                      </Link>
                    </th>
                    <td>
                      <EmailAddress address={m.to} />
                    </td>
                    <td translate="no" lang="en">
                      {m.kind}
                    </td>
                    <td>{t(`status.${m.status}`)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableRegion>
        </section>
      )}
    </>
  );
}
