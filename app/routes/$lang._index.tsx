import { Link, useParams } from '@remix-run/react';
import { useTranslation } from '../i18n/react.tsx';
import type { RouteHandle } from '../ui/title.ts';

export const handle: RouteHandle = { title: 'home:title', i18n: ['home'] };

const features = ['notices', 'todos', 'insurance', 'reservations'] as const;

/** The signed-out home: what residents can do here, and where to start. */
export default function Home() {
  const { t } = useTranslation('home');
  const { lang } = useParams();
  return (
    <div className="page">
      <h1>{t('title')}</h1>
      <p className="lead">{t('lead')}</p>

      <section aria-labelledby="start-heading" className="start">
        <h2 id="start-heading">{t('getStarted')}</h2>
        <ul className="action-list">
          <li>
            <Link className="button button--primary" to={`/${lang}/sign-in`}>
              {t('signIn')}
            </Link>
            <p className="hint">{t('signInHint')}</p>
          </li>
          <li>
            <Link className="button button--secondary" to={`/${lang}/first-access`}>
              {t('firstAccess')}
            </Link>
            <p className="hint">{t('firstAccessHint')}</p>
          </li>
          {/* Booking a pickup or renewal gets its button here once /reservations exists. */}
        </ul>
      </section>

      <section aria-labelledby="features-heading">
        <h2 id="features-heading">{t('whatYouCanDo')}</h2>
        <ul className="card-list">
          {features.map((feature) => (
            <li key={feature} className="card">
              <h3>{t(`features.${feature}.title`)}</h3>
              <p>{t(`features.${feature}.body`)}</p>
            </li>
          ))}
        </ul>
      </section>

      <p>{t('help')}</p>
    </div>
  );
}
