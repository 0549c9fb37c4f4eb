import { EmailAddress } from '../ui/layout.tsx';
import { Fragment } from 'react';
import { Link, useLoaderData, useParams } from '@remix-run/react';
import type { LoaderFunctionArgs } from '@remix-run/node';
import { useTranslation } from '../i18n/react.tsx';
import type { RouteHandle } from '../ui/title.ts';
import { requireStaff } from '../identity/guards.server.ts';
import { formatDateTime, isoInstant } from '../i18n/dates.ts';
import { isLocale } from '../i18n/locales.ts';
import { viewMail } from '../mail/mail.service.server.ts';
import { MailIdSchema } from '../mail/mail.schema.ts';

export const handle: RouteHandle = { title: 'adminMail:detail.title', i18n: ['adminMail'] };

/** One message: its text body and attachment names. Opening it is audited (viewMail). */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const staff = await requireStaff(request, context, 'mail:read');
  const locale = isLocale(params.lang) ? params.lang : 'ja';
  const id = MailIdSchema.safeParse(params.mailId);
  if (!id.success) throw new Response('Not Found', { status: 404 });
  const mail = await viewMail(context.db, staff.actor, id.data);
  if (!mail) throw new Response('Not Found', { status: 404 });
  const when = (d: Date | null) =>
    d ? { at: isoInstant(d), time: formatDateTime(d, locale) } : null;
  return {
    mail: {
      to: mail.to,
      subject: mail.subject,
      kind: mail.kind,
      locale: mail.locale,
      status: mail.status,
      attempts: mail.attempts,
      messageId: mail.messageId,
      lastError: mail.lastError,
      textBody: mail.textBody,
      attachments: mail.attachments,
      queued: when(mail.createdAt)!,
      sent: when(mail.sentAt),
    },
  };
}

export default function AdminMailMessage() {
  const { t } = useTranslation('adminMail');
  const { lang } = useParams();
  const { mail } = useLoaderData<typeof loader>();
  return (
    <div className="page">
      <p>
        <Link to={`/${lang}/admin/mail`}>{t('detail.back')}</Link>
      </p>
      <h1>{t('detail.title')}</h1>
      <section aria-labelledby="mail-facts">
        <h2 id="mail-facts">{t('detail.facts')}</h2>
        <dl className="meta-list">
          <dt>{t('detail.subject')}</dt>
          <dd lang={mail.locale}>{mail.subject}</dd>
          <dt>{t('detail.to')}</dt>
          <dd>
            <EmailAddress address={mail.to} />
          </dd>
          <dt>{t('detail.kind')}</dt>
          <dd lang="en" translate="no">
            {mail.kind}
          </dd>
          <dt>{t('detail.language')}</dt>
          <dd>{t(`language.${mail.locale}`)}</dd>
          <dt>{t('detail.status')}</dt>
          <dd>{t(`status.${mail.status}`)}</dd>
          <dt>{t('detail.attempts')}</dt>
          <dd>{mail.attempts}</dd>
          <dt>{t('detail.queued')}</dt>
          <dd>
            <time dateTime={mail.queued.at}>{mail.queued.time}</time>
          </dd>
          <dt>{t('detail.sent')}</dt>
          <dd>
            {mail.sent ? <time dateTime={mail.sent.at}>{mail.sent.time}</time> : t('detail.notYet')}
          </dd>
          {mail.messageId ? (
            <>
              <dt>{t('detail.messageId')}</dt>
              <dd translate="no">{mail.messageId}</dd>
            </>
          ) : null}
          {mail.lastError ? (
            <>
              <dt>{t('detail.lastError')}</dt>
              <dd lang="en">{mail.lastError}</dd>
            </>
          ) : null}
        </dl>
      </section>
      <section aria-labelledby="mail-attachments">
        <h2 id="mail-attachments">{t('detail.attachments')}</h2>
        {mail.attachments.length === 0 ? (
          <p>{t('detail.noAttachments')}</p>
        ) : (
          <ul>
            {mail.attachments.map((a) => (
              <li key={a.filename}>
                <span translate="no">{a.filename}</span> ({a.contentType},{' '}
                {t('detail.bytes', { n: a.size })})
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="mail-body">
        <h2 id="mail-body">{t('detail.body')}</h2>
        {/* Paragraphs, not <pre>: long lines wrap at 320 px and 200 % text. */}
        <div lang={mail.locale}>
          {mail.textBody.split(/\n{2,}/).map((paragraph, i) => (
            <p key={i}>
              {paragraph.split('\n').map((line, j) => (
                <Fragment key={j}>
                  {j > 0 ? <br /> : null}
                  {line}
                </Fragment>
              ))}
            </p>
          ))}
        </div>
      </section>
    </div>
  );
}
