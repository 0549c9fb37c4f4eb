import { Link, useLocation } from '@remix-run/react';
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

export function SiteHeader({ locale }: { locale: Locale }) {
  const { t } = useTranslation();
  return (
    <header className="site-header">
      <div className="site-header__inner">
        <Link to={`/${locale}/`} className="site-header__brand">
          <span className="site-header__name">{t('siteName')}</span>
          <span className="site-header__tagline">{t('siteTagline')}</span>
        </Link>
        <LanguageSwitch locale={locale} />
      </div>
    </header>
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
