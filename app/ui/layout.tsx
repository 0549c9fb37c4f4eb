import { Form, Link, useLocation } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { locales, localizePath, type Locale } from '../i18n/locales.ts';

export function SkipLink() {
  const { t } = useTranslation();
  return (
    <a className="skip-link" href="#main">
      {t('skipToMain')}
    </a>
  );
}

export function LanguageSwitch({ locale }: { locale: Locale }) {
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

export function SiteHeader({ locale, viewer }: { locale: Locale; viewer: Viewer }) {
  const { t } = useTranslation();
  const home =
    viewer?.kind === 'staff' ? `/${locale}/admin` : viewer ? `/${locale}/my` : `/${locale}/sign-in`;
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
              <span>{t('account.signedInAs', { name: viewer.name })}</span>
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
    </header>
  );
}

/** While a proxy acts for someone, every page says so and offers the way back. */
export function ActingBanner({ locale, name }: { locale: Locale; name: string }) {
  const { t } = useTranslation();
  return (
    <section className="acting-banner" aria-label={t('account.actingFor', { name })}>
      <div className="acting-banner__inner">
        <p>
          <strong>{t('account.actingFor', { name })}</strong>
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
