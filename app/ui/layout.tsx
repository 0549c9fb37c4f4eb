import { Form, Link, useLocation, useMatches } from '@remix-run/react';
import { useTranslation } from '../i18n/react.tsx';
import { locales, localizePath, type Locale } from '../i18n/locales.ts';
import { isJapaneseScript, userText } from './user-text.ts';

export function SkipLink() {
  const { t } = useTranslation();
  return (
    <a className="skip-link" href="#main">
      {t('skipToMain')}
    </a>
  );
}

function LanguageSwitch({ locale }: { locale: Locale }) {
  const { t } = useTranslation();
  const location = useLocation();
  return (
    <nav className="language-switch" aria-label={t('languageSwitch.label')}>
      <ul>
        {locales.map((l) => (
          <li key={l}>
            {l === locale ? (
              <a
                aria-current="true"
                href={localizePath(location.pathname, l) + location.search}
                lang={l}
              >
                {t(`languageSwitch.${l}`)}
              </a>
            ) : (
              <Link to={localizePath(location.pathname, l) + location.search} lang={l} hrefLang={l}>
                {t(`languageSwitch.${l}`)}
              </Link>
            )}
          </li>
        ))}
      </ul>
    </nav>
  );
}

export type Viewer = {
  kind: 'resident' | 'proxy' | 'staff';
  name: string;
  actingFor: string | null;
} | null;

/**
 * A section's own menu (the staff menu) is named by its layout route in `handle.sectionNav`
 * and drawn in the site header, before <main>: the skip link then leads past it, and the
 * main landmark holds only the page's content.
 */
export type SectionNavHandle = { sectionNav?: React.ReactElement };

function useSectionNav() {
  for (const match of [...useMatches()].reverse()) {
    const nav = (match.handle as SectionNavHandle | undefined)?.sectionNav;
    if (nav) return nav;
  }
  return null;
}

/**
 * A menu link that says where the reader is (WCAG 2.4.8): aria-current="page" on the page
 * itself, "true" on the section of a page below it (a notice within Notices). `end` links
 * (a section's home) are current only as the page itself.
 */
export function MenuLink({
  to,
  end = false,
  children,
}: {
  to: string;
  end?: boolean;
  children: React.ReactNode;
}) {
  const { pathname } = useLocation();
  const path = pathname.replace(/\/+$/, '');
  const current =
    path === to ? 'page' : !end && path.startsWith(`${to}/`) ? ('true' as const) : undefined;
  return (
    <Link to={to} aria-current={current}>
      {children}
    </Link>
  );
}

export function SiteHeader({ locale, viewer }: { locale: Locale; viewer: Viewer }) {
  const { t } = useTranslation();
  const home =
    viewer?.kind === 'staff' ? `/${locale}/admin` : viewer ? `/${locale}/my` : `/${locale}/sign-in`;
  const sectionNav = useSectionNav();
  return (
    <header className="site-header">
      <div className="site-header__inner">
        <Link to={`/${locale}/`} className="site-header__brand">
          <span className="site-header__name">{t('siteName')}</span>
          <span className="site-header__tagline">{t('siteTagline')}</span>
        </Link>
        <div className="account-bar">
          {viewer ? (
            <>
              <span>
                <SentenceWithName i18nKey="account.signedInAs" name={viewer.name} />
              </span>
              <Link to={home} className="account-bar__link">
                {viewer.kind === 'staff' ? t('account.admin') : t('account.myPage')}
              </Link>
              <Form method="post" action={`/${locale}/sign-out`}>
                <button type="submit" className="button--link">
                  {t('account.signOut')}
                </button>
              </Form>
            </>
          ) : (
            <Link to={home} className="account-bar__link">
              {t('account.signIn')}
            </Link>
          )}
          <LanguageSwitch locale={locale} />
        </div>
      </div>
      {viewer && (viewer.kind === 'resident' || viewer.actingFor) ? (
        <ResidentNav locale={locale} />
      ) : null}
      {sectionNav}
    </header>
  );
}

/** The resident's main sections, on every page once signed in (seed 003: features easy to find). */
function ResidentNav({ locale }: { locale: Locale }) {
  const { t } = useTranslation();
  const items = [
    ['my', 'nav.my'],
    ['notices', 'nav.notices'],
    ['todos', 'nav.todos'],
    ['insurance', 'nav.insurance'],
  ] as const;
  return (
    <nav className="resident-nav" aria-label={t('nav.label')}>
      <ul>
        {items.map(([path, key]) => (
          <li key={path}>
            <MenuLink to={`/${locale}/${path}`}>{t(key)}</MenuLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}

/** While a proxy acts for someone, every page says so and offers the way back. */
export function ActingBanner({ locale, name }: { locale: Locale; name: string }) {
  const { t } = useTranslation();
  return (
    <section className="acting-banner" aria-labelledby="acting-banner-text">
      <div className="acting-banner__inner">
        <p>
          <strong id="acting-banner-text">
            <SentenceWithName i18nKey="account.actingFor" name={name} />
          </strong>
        </p>
        <Form method="post" action={`/${locale}/proxy`}>
          <input type="hidden" name="intent" value="stop" />
          <button type="submit" className="button--link">
            {t('account.switchBack')}
          </button>
        </Form>
      </div>
    </section>
  );
}

export function SiteFooter() {
  const { t } = useTranslation();
  return (
    <footer className="site-footer">
      <div className="site-footer__inner">
        <p>{t('footer.operator')}</p>
        <p>{t('footer.note')}</p>
      </div>
    </footer>
  );
}

/**
 * An email address: Latin letters a screen reader should spell as such, and a translator
 * should leave alone (on a Japanese page it is not Japanese text).
 */
export function EmailAddress({ address }: { address: string }) {
  return (
    <span lang="en" translate="no">
      {userText(address)}
    </span>
  );
}

/**
 * A person's name as registered: written in Japanese script it is read as Japanese, even on
 * an English page; a Latin-script name is read in the page's language.
 */
export function PersonName({ name, children }: { name: string; children?: React.ReactNode }) {
  return <span lang={isJapaneseScript(name) ? 'ja' : undefined}>{children ?? userText(name)}</span>;
}

const NAME_MARK = '\u0000';
const MARKED_NAME = `<name>${NAME_MARK}</name>`;

/**
 * A sentence with a person's name in it (`<name>{{name}}</name>` in the resources), the name
 * marked up by PersonName. What <Trans> does, without parsing the sentence as HTML on every
 * page: the sentence is looked up once (cached) with a marker for the name.
 */
function SentenceWithName({
  i18nKey,
  name,
}: {
  i18nKey: 'account.signedInAs' | 'account.actingFor';
  name: string;
}) {
  const { t } = useTranslation();
  const parts = t(i18nKey, { name: NAME_MARK }).split(MARKED_NAME);
  if (parts.length !== 2) return <>{t(i18nKey, { name }).replace(/<\/?name>/g, '')}</>;
  return (
    <>
      {parts[0] || null}
      <PersonName name={name} />
      {parts[1] || null}
    </>
  );
}
