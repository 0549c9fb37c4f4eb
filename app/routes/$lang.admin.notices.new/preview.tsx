import { useEffect, useRef } from 'react';
import { useTranslation } from '../../i18n/react.tsx';
import type { TFunction } from 'i18next';
import { Markdown } from '../../ui/markdown.tsx';
import type { Locale } from '../../i18n/locales.ts';
import type { Sender } from '../../notices/notice.ts';
import { userText } from '../../ui/user-text.ts';

export type AudienceSummary =
  | { type: 'all' }
  | { type: 'municipality'; code: string; name: string; residents: number }
  | { type: 'list'; count: number };

export type PreviewData = {
  sender: Sender;
  audience: AudienceSummary;
  /** Formatted in the page's language; null: published the moment it is sent. */
  publishAt: string | null;
  expiresAt: string | null;
  /** The notice on a resident's Japanese page and on their English page. */
  pages: {
    locale: Locale;
    lang: Locale;
    title: string;
    body: string;
    date: string;
    iso: string;
  }[];
};

/** A value inside a translated sentence, wrapped (e.g. in lang="ja"): `t(key, { name: MARK })`. */
const MARK = '\u0000';
function around(text: string): [string, string] {
  const [before = '', after = ''] = text.split(MARK);
  return [before, after];
}

/** Who receives a notice, in words; a municipality's name is Japanese on any page. */
export function AudienceText({
  audience,
  t,
}: {
  audience: AudienceSummary;
  t: TFunction<'adminNotices'>;
}) {
  if (audience.type === 'all') return <>{t('audience.all')}</>;
  if (audience.type === 'list') return <>{t('audience.list', { count: audience.count })}</>;
  const [before, after] = around(
    t('audience.municipalityNamed', {
      name: MARK,
      code: audience.code,
      count: audience.residents,
    }),
  );
  return (
    <>
      {before}
      <span lang="ja">{audience.name}</span>
      {after}
    </>
  );
}

/**
 * The notice as residents will see it, on their Japanese page and on their English page, with
 * the resident pages' own labels in each language. Nothing is saved yet.
 */
export function NoticePreview({ preview }: { preview: PreviewData }) {
  const { t } = useTranslation('adminNotices');
  const heading = useRef<HTMLHeadingElement>(null);
  // The preview appears without a page change: take the reader to it.
  useEffect(() => heading.current?.focus(), [preview]);
  return (
    <section className="notice notice--info preview" aria-labelledby="preview-title">
      <h2 id="preview-title" ref={heading} tabIndex={-1}>
        {t('preview.title')}
      </h2>
      <p>{t('preview.lead')}</p>
      <dl className="meta-list">
        <div>
          <dt>{t('preview.audience')}</dt>
          <dd>
            <AudienceText audience={preview.audience} t={t} />
          </dd>
        </div>
        <div>
          <dt>{t('preview.publishAt')}</dt>
          <dd>{preview.publishAt ?? t('preview.publishNow')}</dd>
        </div>
        <div>
          <dt>{t('preview.expiresAt')}</dt>
          <dd>{preview.expiresAt ?? t('preview.noExpiry')}</dd>
        </div>
      </dl>
      {preview.pages.map((page) => (
        <PreviewPage key={page.locale} page={page} sender={preview.sender} />
      ))}
    </section>
  );
}

function PreviewPage({ page, sender }: { page: PreviewData['pages'][number]; sender: Sender }) {
  const { t } = useTranslation('adminNotices');
  // The resident page's labels, in that page's language.
  const label = (key: string) => t(`notices:${key}`, { lng: page.locale });
  const foreign = page.lang !== page.locale ? page.lang : undefined;
  return (
    <section aria-labelledby={`preview-${page.locale}`} className="preview__page">
      <h3 id={`preview-${page.locale}`}>{t(`preview.page.${page.locale}`)}</h3>
      <article className="card notice-detail" lang={page.locale}>
        <h4 lang={foreign}>{userText(page.title)}</h4>
        <dl className="meta-list">
          <div>
            <dt>{label('detail.from')}</dt>
            <dd>{label(`sender.${sender}`)}</dd>
          </div>
          <div>
            <dt>{label('detail.date')}</dt>
            <dd>
              <time dateTime={page.iso}>{page.date}</time>
            </dd>
          </div>
        </dl>
        <div className="notice-body" lang={foreign}>
          <Markdown source={page.body} locale={page.locale} headingOffset={4} />
        </div>
      </article>
    </section>
  );
}
