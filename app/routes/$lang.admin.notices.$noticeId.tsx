import { useEffect, useRef, type ReactNode } from 'react';
import {
  redirect,
  type ActionFunctionArgs,
  type LinksFunction,
  type LoaderFunctionArgs,
} from '@remix-run/node';
import { Form, Link, useLoaderData, useParams } from '@remix-run/react';
import { useTranslation } from '../i18n/react.tsx';
import { requireStaff } from '../identity/guards.server.ts';
import { withdrawNoticeByStaff } from '../notices/notice-actions.service.server.ts';
import { getNoticeForStaff, type StaffNotice } from '../notices/notice.service.server.ts';
import { pickLanguage } from '../notices/notice.ts';
import { Markdown } from '../ui/markdown.tsx';
import { Notice } from '../ui/form.tsx';
import { formatDateTime } from '../i18n/dates.ts';
import { isLocale, type Locale } from '../i18n/locales.ts';
import chartsStyles from '../ui/charts.css';
import { getNoticeDelivery } from '../delivery/delivery.service.server.ts';
import { noticeDeliveryView } from '../delivery/delivery-view.ts';
import { NoticeDeliverySection } from '../delivery/delivery-ui.tsx';
import { userText } from '../ui/user-text.ts';
import { RecordTable } from '../ui/record-table.tsx';
import type { RouteHandle } from '../ui/title.ts';

export const handle: RouteHandle = { i18n: ['notices', 'adminNotices', 'delivery'] };

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: chartsStyles }];

async function noticeOr404(context: LoaderFunctionArgs['context'], noticeId?: string) {
  const notice = await getNoticeForStaff(context.db, noticeId ?? '');
  if (!notice) throw new Response('Not Found', { status: 404 });
  return notice;
}

/** Names are data in whatever language they were typed. */
const langOf = (text: string) =>
  /[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]/.test(text)
    ? 'ja'
    : /[A-Za-z]/.test(text)
      ? 'en'
      : undefined;

function facts(notice: StaffNotice, locale: Locale) {
  const when = (d: Date | null) => (d ? formatDateTime(d, locale) : null);
  return {
    status: notice.status,
    sender: notice.sender,
    audience: notice.audience,
    municipalityCode: notice.municipalityCode,
    recipients: notice.recipients,
    publishAt: when(notice.publishAt),
    expiresAt: when(notice.expiresAt),
    withdrawnAt: when(notice.withdrawnAt),
    createdAt: when(notice.createdAt),
    createdBy: notice.createdByName,
  };
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const staff = await requireStaff(request, context, 'notices:write');
  const locale = isLocale(params.lang) ? params.lang : 'ja';
  const notice = await noticeOr404(context, params.noticeId);
  // Delivery figures are a permission of their own: shown only to staff who also have it.
  const delivery = staff.permissions.has('delivery:read')
    ? await getNoticeDelivery(context.db, notice.id)
    : null;
  const url = new URL(request.url);
  const heading = pickLanguage(notice, locale);
  const versions = (['ja', 'en'] as const)
    .map((lang) => ({
      lang,
      title: lang === 'ja' ? notice.titleJa : notice.titleEn,
      body: (lang === 'ja' ? notice.bodyJa : notice.bodyEn) ?? '',
    }))
    .filter((v): v is { lang: Locale; title: string; body: string } => v.title !== null);
  const withdrawable = notice.status === 'scheduled' || notice.status === 'published';
  return {
    title: heading.title,
    titleLang: heading.lang,
    id: notice.id,
    facts: facts(notice, locale),
    versions,
    withdrawable,
    delivery: delivery ? noticeDeliveryView(delivery, locale) : null,
    confirming: withdrawable && url.searchParams.get('confirm') === 'withdraw',
    done: url.searchParams.has('published')
      ? ('published' as const)
      : url.searchParams.has('withdrawn')
        ? ('withdrawn' as const)
        : null,
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const staff = await requireStaff(request, context, 'notices:write');
  const notice = await noticeOr404(context, params.noticeId);
  const form = await request.formData();
  if (form.get('intent') !== 'withdraw') throw new Response('Bad Request', { status: 400 });
  // Withdrawing twice is harmless: the second changes nothing and records nothing.
  await withdrawNoticeByStaff(context.db, staff.actor, notice);
  return redirect(`/${params.lang}/admin/notices/${notice.id}?withdrawn=1`);
}

export default function StaffNoticeDetail() {
  const { t } = useTranslation('adminNotices');
  const { lang } = useParams();
  const data = useLoaderData<typeof loader>();
  return (
    <div className="page">
      <p>
        <Link to={`/${lang}/admin/notices`}>{t('detail.back')}</Link>
      </p>
      <h1 lang={data.titleLang === lang ? undefined : data.titleLang}>{userText(data.title)}</h1>
      {data.done ? <DoneMessage done={data.done} status={data.facts.status} /> : null}
      <NoticeFacts facts={data.facts} />
      <NoticeVersions versions={data.versions} />
      {data.delivery ? <NoticeDeliverySection delivery={data.delivery} /> : null}
      {data.withdrawable ? <WithdrawSection id={data.id} confirming={data.confirming} /> : null}
    </div>
  );
}

type Facts = ReturnType<typeof useLoaderData<typeof loader>>['facts'];

function DoneMessage({ done, status }: { done: 'published' | 'withdrawn'; status: string }) {
  const { t } = useTranslation('adminNotices');
  if (done === 'withdrawn') return <Notice>{t('detail.withdrawn')}</Notice>;
  return <Notice>{status === 'scheduled' ? t('detail.scheduled') : t('detail.published')}</Notice>;
}

/** What the notice is, who gets it, and when. */
function NoticeFacts({ facts }: { facts: Facts }) {
  const { t } = useTranslation('adminNotices');
  const none = <span className="hint">{t('detail.none')}</span>;
  const rows: [string, ReactNode][] = [
    [t('detail.status'), <strong key="s">{t(`status.${facts.status}`)}</strong>],
    [t('list.sender'), t(`notices:sender.${facts.sender}`)],
    [
      t('list.audience'),
      facts.audience === 'list'
        ? t('audience.list', { count: facts.recipients ?? 0 })
        : facts.audience === 'municipality'
          ? t('audience.municipality', { code: facts.municipalityCode })
          : t('audience.all'),
    ],
    [t('list.publishAt'), facts.publishAt],
    [t('detail.expiresAt'), facts.expiresAt ?? none],
    ...(facts.withdrawnAt
      ? [[t('detail.withdrawnAt'), facts.withdrawnAt] as [string, string]]
      : []),
    [
      t('detail.createdBy'),
      facts.createdBy ? <span lang={langOf(facts.createdBy)}>{facts.createdBy}</span> : none,
    ],
    [t('detail.createdAt'), facts.createdAt],
  ];
  return (
    <section aria-labelledby="facts-title">
      <h2 id="facts-title">{t('detail.facts')}</h2>
      <RecordTable labelledBy="facts-title" rows={rows} />
    </section>
  );
}

/** The notice in each language it was written in, rendered as residents read it. */
function NoticeVersions({
  versions,
}: {
  versions: { lang: Locale; title: string; body: string }[];
}) {
  const { t } = useTranslation('adminNotices');
  const { lang } = useParams();
  return (
    <>
      {versions.map((v) => (
        <section key={v.lang} aria-labelledby={`version-${v.lang}`}>
          <h2 id={`version-${v.lang}`}>{t(`detail.version.${v.lang}`)}</h2>
          <article className="card" lang={v.lang}>
            <h3>{userText(v.title)}</h3>
            <div className="notice-body">
              <Markdown source={v.body} locale={lang === 'en' ? 'en' : 'ja'} headingOffset={3} />
            </div>
          </article>
        </section>
      ))}
    </>
  );
}

/** Withdraw with a confirmation step that works without JavaScript (?confirm=withdraw). */
function WithdrawSection({ id, confirming }: { id: string; confirming: boolean }) {
  const { t } = useTranslation('adminNotices');
  const { lang } = useParams();
  const heading = useRef<HTMLHeadingElement>(null);
  // The question appears without a new page for screen readers to announce: go to it.
  useEffect(() => {
    if (confirming) heading.current?.focus();
  }, [confirming]);
  const here = `/${lang}/admin/notices/${id}`;
  return (
    <section aria-labelledby="withdraw-title">
      <h2 id="withdraw-title">{t('withdraw.title')}</h2>
      {confirming ? (
        <div className="notice notice--warning">
          <h3 ref={heading} tabIndex={-1}>
            {t('withdraw.confirmTitle')}
          </h3>
          <p>{t('withdraw.confirmLead')}</p>
          <Form method="post" action={here} className="button-row">
            <input type="hidden" name="intent" value="withdraw" />
            <button type="submit" className="button button--danger">
              {t('withdraw.confirmButton')}
            </button>
            <Link to={here}>{t('withdraw.cancel')}</Link>
          </Form>
        </div>
      ) : (
        <>
          <p>{t('withdraw.lead')}</p>
          <p>
            <Link to="?confirm=withdraw" className="button button--secondary">
              {t('withdraw.button')}
            </Link>
          </p>
        </>
      )}
    </section>
  );
}
