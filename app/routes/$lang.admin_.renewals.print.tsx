import type { HeadersFunction, LinksFunction, LoaderFunctionArgs } from '@remix-run/node';
import { Link, useLoaderData, useParams } from '@remix-run/react';
import { z } from 'zod';
import { useTranslation } from '../i18n/react.tsx';
import printHref from '../ui/print.css';
import { requireStaff } from '../identity/guards.server.ts';
import { PrintButton } from '../letters/printed-letter.tsx';
import { formatDateBoth, tokyoDayStart } from '../i18n/dates.ts';
import { isLocale } from '../i18n/locales.ts';
import { userText } from '../ui/user-text.ts';
import type { RouteHandle } from '../ui/title.ts';
import { printRenewalForms } from '../targets/renewal-output.service.server.ts';
import { clerkOf } from '../targets/staff-clerk.server.ts';
import { formatReservationId } from '../reservations/booking.ts';

export const handle: RouteHandle = { title: 'adminRenewals:print.title', i18n: ['adminRenewals'] };

/**
 * Renewal forms (更新受付票) to print, one A4 page per person: `?id=` once or many times.
 * Outside the staff layout, like letters, so only the forms go on paper. The barcode is SVG
 * drawn on the server (Code 128, decision 0046): no script, sharp at any printer resolution.
 */
export const links: LinksFunction = () => [{ rel: 'stylesheet', href: printHref }];

export const headers: HeadersFunction = () => ({ 'Cache-Control': 'no-store' });

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const staff = await requireStaff(request, context, 'renewals:manage');
  const locale = isLocale(params.lang) ? params.lang : 'ja';
  const ids = new URL(request.url).searchParams
    .getAll('id')
    .filter((id) => z.uuid().safeParse(id).success);
  const clerk = clerkOf(staff, context.env);
  const forms = await printRenewalForms(
    context.db,
    context.secrets,
    clerk.actor,
    clerk.municipalityCode,
    ids,
  );
  if (!forms) throw new Response('Not Found', { status: 404 });
  return {
    forms: forms.map((f) => ({
      id: f.id,
      code: f.residentRegisterCode,
      name: f.name,
      nameKana: f.nameKana,
      birthDate: formatDateBoth(tokyoDayStart(f.birthDate), locale),
      address: f.address,
      noticeNumber: f.noticeNumber,
      expires: f.certificateExpiresOn
        ? formatDateBoth(tokyoDayStart(f.certificateExpiresOn), locale)
        : null,
      barcodeSvg: f.barcodeSvg,
      reservationId: f.reservationId ? formatReservationId(f.reservationId) : null,
      password: f.password,
    })),
  };
}

type PrintedForm = Awaited<ReturnType<typeof loader>>['forms'][number];

function RenewalForm({ form }: { form: PrintedForm }) {
  const { t } = useTranslation('adminRenewals');
  const titleId = `form-${form.id}-title`;
  const rows: [string, string | null, boolean][] = [
    [t('print.name'), form.name, true],
    [t('print.nameKana'), form.nameKana, true],
    [t('print.birthDate'), form.birthDate, false],
    [t('print.address'), form.address, true],
    [t('print.noticeNumber'), form.noticeNumber, false],
    [t('print.expires'), form.expires, false],
    [t('print.reservationId'), form.reservationId, false],
    [t('print.password'), form.password, false],
  ];
  return (
    <article className="renewal-form" aria-labelledby={titleId}>
      <h2 id={titleId} className="renewal-form__title">
        {t('print.formTitle')}
      </h2>
      <div className="renewal-form__barcode">
        <div
          role="img"
          aria-label={t('print.barcodeLabel', { code: form.code })}
          // The SVG is drawn by bwip-js on the server from the 11 digits: no user text in it.
          dangerouslySetInnerHTML={{ __html: form.barcodeSvg }}
        />
        <p>
          {t('print.registerCode')}: <span className="renewal-form__code">{form.code}</span>
        </p>
      </div>
      <table>
        <tbody>
          {rows.map(([label, value, japanese]) => (
            <tr key={label}>
              <th scope="row">{label}</th>
              <td lang={japanese ? 'ja' : undefined}>{value ? userText(value) : ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <table className="renewal-form__counter">
        <caption>{t('print.counter')}</caption>
        <tbody>
          {[t('print.identity'), t('print.renewed'), t('print.staff')].map((label) => (
            <tr key={label}>
              <th scope="row">{label}</th>
              <td />
            </tr>
          ))}
        </tbody>
      </table>
    </article>
  );
}

export default function PrintRenewals() {
  const { t } = useTranslation('adminRenewals');
  const { lang } = useParams();
  const { forms } = useLoaderData<typeof loader>();
  return (
    <div className="print-page">
      <div className="screen-only page">
        <h1>{t('print.title')}</h1>
        {forms.length === 0 ? (
          <p className="notice notice--warning">{t('print.none')}</p>
        ) : (
          <>
            <p>{t('print.lead', { count: forms.length })}</p>
            <div className="button-row">
              <PrintButton label={t('print.button')} withoutScript={t('print.withoutScript')} />
            </div>
          </>
        )}
        <p>
          <Link to={`/${lang}/admin/renewals`}>{t('print.back')}</Link>
        </p>
      </div>
      {forms.map((form) => (
        <RenewalForm key={form.id} form={form} />
      ))}
    </div>
  );
}
