import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Link, useActionData, useLoaderData, useParams } from '@remix-run/react';
import { parseWithZod } from '@conform-to/zod/v4';
import { useTranslation } from '../../i18n/react.tsx';
import { requireStaff } from '../../identity/guards.server.ts';
import { formatDateTime } from '../../i18n/dates.ts';
import { isLocale } from '../../i18n/locales.ts';
import { clerkOf } from '../../targets/staff-clerk.server.ts';
import { contentPagePath, isContentPage, isContentPiece } from '../../reservations/content.ts';
import { ContentEditSchema } from '../../reservations/content.schema.ts';
import {
  contentHistory,
  publishContent,
  publishedContent,
  saveContent,
} from '../../reservations/content.service.server.ts';
import type { RouteHandle } from '../../ui/title.ts';
import { ContentForm } from './form.tsx';
import { ContentHistory } from './history.tsx';

export const handle: RouteHandle = { i18n: ['adminBookingContent'] };

/** The piece and language named by the address; anything else is not a page. */
function pieceOf(params: LoaderFunctionArgs['params']) {
  const { lang, piece, locale } = params;
  if (!isLocale(lang) || !isContentPiece(piece) || !isLocale(locale))
    throw new Response('Not Found', { status: 404 });
  return { lang, key: { piece, locale } };
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  await requireStaff(request, context, 'reservations:content');
  const { lang, key } = pieceOf(params);
  const city = context.env.MADOGUCHI_CITY_CODE;
  const [history, published] = await Promise.all([
    contentHistory(context.db, city, key),
    publishedContent(context.db, city, key),
  ]);
  const when = (date: Date | null) => (date ? formatDateTime(date, lang) : null);
  return {
    ...key,
    latestBody: history[0]?.body ?? '',
    publishedVersion: published?.version ?? null,
    history: history.map((v) => ({
      version: v.version,
      body: v.body,
      createdByName: v.createdByName,
      createdAt: when(v.createdAt) ?? '',
      publishedByName: v.publishedByName,
      publishedAt: when(v.publishedAt),
    })),
  };
}

/**
 * Preview renders what was typed and stores nothing. Save keeps a new version; publish keeps
 * it when it changed and makes it the one residents see. Both are recorded (the services).
 */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const staff = await requireStaff(request, context, 'reservations:content');
  const { key } = pieceOf(params);
  const submission = parseWithZod(await request.formData(), { schema: ContentEditSchema });
  if (submission.status !== 'success')
    return data({ result: submission.reply(), preview: null, done: null }, { status: 400 });
  const { intent, body } = submission.value;
  if (intent === 'preview') return { result: submission.reply(), preview: body, done: null };
  const clerk = clerkOf(staff, context.env);
  const done =
    intent === 'save'
      ? await saveContent(context.db, clerk, key, body)
      : { outcome: 'published' as const, ...(await publishContent(context.db, clerk, key, body)) };
  return { result: submission.reply(), preview: null, done };
}

export default function EditBookingContent() {
  const { t } = useTranslation('adminBookingContent');
  const { lang } = useParams();
  const page = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>();
  const names = { piece: t(`pieces.${page.piece}`), language: t(`languages.${page.locale}`) };
  return (
    <div className="page">
      <p>
        <Link to={`/${lang}/admin/reservations/content`}>{t('edit.back')}</Link>
      </p>
      <h1>{t('edit.title', names)}</h1>
      <p>
        {page.publishedVersion !== null
          ? t('edit.publishedNow', { version: page.publishedVersion })
          : t('edit.noneYet')}
        {isContentPage(page.piece) ? (
          <>
            {' '}
            <Link to={contentPagePath(page.locale, page.piece)}>{t('edit.viewPage')}</Link>
          </>
        ) : null}
      </p>
      <ContentForm
        key={`${page.piece}/${page.locale}`}
        locale={page.locale}
        defaultBody={page.latestBody}
        reply={reply ?? null}
      />
      <ContentHistory history={page.history} locale={page.locale} />
    </div>
  );
}
