import {
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  isRouteErrorResponse,
  useRouteError,
  useRouteLoaderData,
  Link,
} from '@remix-run/react';
import { Suspense } from 'react';
import { data, type LinksFunction, type LoaderFunctionArgs } from '@remix-run/node';
import { I18nextProvider, useTranslation } from './i18n/react.tsx';
import tokensHref from '@digital-go-jp/design-tokens/dist/tokens.css';
import stylesHref from './ui/styles.css';
import { defaultLocale, i18nFor, translator, type Locale } from './i18n/locales.ts';
import {
  localeCookie,
  localeFromPath,
  negotiateLocale,
  LOCALE_COOKIE,
} from './i18n/negotiate.server.ts';
import { ActingBanner, SiteFooter, SiteHeader, SkipLink } from './ui/layout.tsx';
import { RouteAnnouncer } from './ui/route-announcer.tsx';
import { SessionTimeout } from './ui/session-timeout.tsx';
import { useNonce } from './ui/nonce.tsx';
import { ZodWithoutEval } from './ui/zod-without-eval.tsx';
import { titleText, usePageTitle } from './ui/title.ts';
import { NoscriptRefresh } from './ui/noscript-refresh.tsx';
import { viewerOf } from './identity/viewer.server.ts';
import { maintenanceBanner } from './maintenance/maintenance-banner.server.ts';
import { MaintenanceBanner } from './maintenance/maintenance-banner.tsx';
import {
  RouteTranslationsReady,
  TranslationsScript,
  useBundleVersion,
  useRouteBundles,
  type TranslationsHandle,
} from './i18n/route-translations.tsx';

/** The layout, the error pages, forms and the session-timeout dialog render these on every page. */
export const handle: TranslationsHandle = { i18n: ['common', 'session'] };

export const links: LinksFunction = () => [
  { rel: 'icon', href: '/favicon.ico', sizes: '32x32' },
  { rel: 'stylesheet', href: tokensHref },
  { rel: 'stylesheet', href: stylesHref },
];

const LOCALE_COOKIE_VALUE = new RegExp(`(?:^|;\\s*)${LOCALE_COOKIE}=(ja|en)`);

export async function loader({ request, context }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const fromPath = localeFromPath(url.pathname);
  const locale = fromPath ?? negotiateLocale(request);
  const headers = new Headers();
  // The language a person last chose (by visiting a page in it) is remembered for "/".
  const current = request.headers.get('Cookie')?.match(LOCALE_COOKIE_VALUE)?.[1];
  if (fromPath && current !== fromPath) {
    headers.append(
      'Set-Cookie',
      localeCookie(fromPath, context.env.publicOrigin.startsWith('https:')),
    );
  }
  return data(
    {
      locale,
      requestId: context.requestId,
      viewer: await viewerOf(request, context),
      maintenance: await maintenanceBanner(context.db, locale),
    },
    { headers },
  );
}

function Document({
  locale,
  title,
  children,
}: {
  locale: Locale;
  title?: string;
  children: React.ReactNode;
}) {
  const nonce = useNonce();
  const bundles = useRouteBundles(locale);
  // Re-renders the document (its title) when a navigation's bundles arrive.
  useBundleVersion(locale);
  const i18n = i18nFor(locale);
  const pageTitle = usePageTitle(locale);
  const rootData = useRouteLoaderData<typeof loader>('root');
  const viewer = rootData?.viewer ?? null;
  return (
    <html lang={locale} dir="ltr">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light" />
        <title>{titleText(locale, title ?? pageTitle)}</title>
        <Meta />
        <Links />
        <NoscriptRefresh />
      </head>
      <body>
        <I18nextProvider i18n={i18n}>
          {/* Below the document, so a page whose translations are still loading never
              suspends the root; a navigation keeps the previous page meanwhile. */}
          <Suspense fallback={<main id="main" className="site-main" aria-busy="true" />}>
            <RouteTranslationsReady locale={locale}>
              <SkipLink />
              {rootData?.maintenance ? <MaintenanceBanner banner={rootData.maintenance} /> : null}
              {viewer?.actingFor ? <ActingBanner locale={locale} name={viewer.actingFor} /> : null}
              <SiteHeader locale={locale} viewer={viewer} />
              <main id="main" tabIndex={-1} className="site-main">
                {children}
              </main>
              <SiteFooter />
              <RouteAnnouncer />
              <SessionTimeout locale={locale} viewer={viewer} />
            </RouteTranslationsReady>
          </Suspense>
        </I18nextProvider>
        <TranslationsScript locale={locale} bundles={bundles} nonce={nonce} />
        <ZodWithoutEval nonce={nonce} />
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  const locale = useRouteLoaderData<typeof loader>('root')?.locale ?? defaultLocale;
  return (
    <Document locale={locale}>
      <Outlet />
    </Document>
  );
}

type ErrorKind = 'notFound' | 'forbidden' | 'server';

function errorKind(error: unknown): ErrorKind {
  const status = isRouteErrorResponse(error) ? error.status : 500;
  return status === 404 ? 'notFound' : status === 403 ? 'forbidden' : 'server';
}

function ErrorContent({ kind }: { kind: ErrorKind }) {
  const { t } = useTranslation();
  const rootData = useRouteLoaderData<typeof loader>('root');
  return (
    <div className="page page--narrow">
      <h1>{t(`errors.${kind}.title`)}</h1>
      <p>{t(`errors.${kind}.body`)}</p>
      {kind === 'server' && rootData?.requestId ? (
        <p>{t('errors.server.reference', { id: rootData.requestId })}</p>
      ) : null}
      <p>
        <Link to={`/${rootData?.locale ?? defaultLocale}/`}>{t('errors.notFound.home')}</Link>
      </p>
    </div>
  );
}

/** Localized 404, 403 and error pages, inside the same layout as every page. */
export function ErrorBoundary() {
  const locale = useRouteLoaderData<typeof loader>('root')?.locale ?? defaultLocale;
  const kind = errorKind(useRouteError());
  return (
    <Document locale={locale} title={translator(locale)(`errors.${kind}.title`)}>
      <ErrorContent kind={kind} />
    </Document>
  );
}
