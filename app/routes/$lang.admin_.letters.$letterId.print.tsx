import type { HeadersFunction, LinksFunction, LoaderFunctionArgs } from '@remix-run/node';
import { Link, useLoaderData, useParams } from '@remix-run/react';
import { z } from 'zod';
import { useTranslation } from '../i18n/react.tsx';
import printHref from '../ui/print.css';
import { requireStaff } from '../identity/guards.server.ts';
import { printLetter } from '../identity/letter-desk.service.server.ts';
import { aroundValue, VALUE_MARK } from '../letters/letter.ts';
import { PrintButton, PrintedLetter, type LetterTexts } from '../letters/printed-letter.tsx';
import { formatDateBoth } from '../i18n/dates.ts';
import { isLocale, translator } from '../i18n/locales.ts';
import type { RouteHandle } from '../ui/title.ts';

export const handle: RouteHandle = { i18n: ['adminResidents'] };

/**
 * A letter ready to print on A4. Outside the staff layout so nothing but the site frame
 * surrounds it, and print.css hides that frame on paper.
 */
export const links: LinksFunction = () => [{ rel: 'stylesheet', href: printHref }];

// The page shows a password: never keep it in a cache or the back/forward store.
export const headers: HeadersFunction = () => ({ 'Cache-Control': 'no-store' });

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const staff = await requireStaff(request, context, 'letters:issue');
  const locale = isLocale(params.lang) ? params.lang : 'ja';
  const t = translator(locale);
  const letterId = z.uuid().safeParse(params.letterId);
  if (!letterId.success) throw new Response('Not Found', { status: 404 });
  const found = await printLetter(context.db, context.secrets, staff.actor, {
    letterId: letterId.data,
    lang: locale,
    publicOrigin: context.env.publicOrigin,
  });
  if (found.status === 'not_found') throw new Response('Not Found', { status: 404 });
  if (found.status === 'unavailable') {
    return {
      title: t('adminResidents:print.unavailableTitle'),
      printable: false as const,
      reason: found.reason,
      residentId: found.residentId,
    };
  }
  const { letter } = found;
  return {
    title: t('adminResidents:print.title'),
    printable: true as const,
    residentId: letter.residentId,
    letter: {
      purpose: letter.purpose,
      code: letter.code,
      password: letter.password,
      name: letter.name,
      address: letter.address,
      municipalityName: letter.municipalityName,
      issuedOn: formatDateBoth(letter.issuedAt, locale),
      expiresOn: formatDateBoth(letter.expiresAt, locale),
      entryUrl: letter.entryUrl,
      qrTarget: letter.qrTarget,
      qrSvg: letter.qrSvg,
    },
  };
}

export default function PrintLetter() {
  const { t } = useTranslation('adminResidents');
  const { lang } = useParams();
  const loaded = useLoaderData<typeof loader>();
  const back = (
    <p>
      <Link to={`/${lang}/admin/residents/${loaded.residentId}`}>{t('print.back')}</Link>
    </p>
  );

  if (!loaded.printable) {
    return (
      <div className="page">
        <h1>{loaded.title}</h1>
        <p className="notice notice--warning">{t(`print.unavailable.${loaded.reason}`)}</p>
        {back}
      </div>
    );
  }

  const { letter } = loaded;
  // Only first-access letters can be printed so far (the service refuses other purposes);
  // pickup and renewal letters bring their own texts here.
  const texts: LetterTexts = {
    title: t('letter.firstAccess.title'),
    recipientLabel: t('letter.recipientLabel'),
    recipientName: aroundValue(t('letter.recipientName', { name: VALUE_MARK })),
    senderLabel: t('letter.senderLabel'),
    issuedLabel: t('letter.issuedLabel'),
    lead: t('letter.firstAccess.lead'),
    credentialsTitle: t('letter.credentialsTitle'),
    codeLabel: t('letter.codeLabel'),
    passwordLabel: t('letter.passwordLabel'),
    expiresLabel: t('letter.expiresLabel'),
    stepsTitle: t('letter.stepsTitle'),
    steps: [
      t('letter.firstAccess.step1'),
      t('letter.firstAccess.step2'),
      t('letter.firstAccess.step3'),
      t('letter.firstAccess.step4'),
    ],
    qrLabel: t('letter.firstAccess.qrLabel'),
    qrCaption: t('letter.firstAccess.qrCaption'),
    notesTitle: t('letter.notesTitle'),
    notes: [
      t('letter.firstAccess.note1'),
      t('letter.firstAccess.note2'),
      t('letter.firstAccess.note3'),
    ],
  };

  return (
    <div className="print-page">
      <div className="screen-only page">
        <h1>{loaded.title}</h1>
        <p>{t('print.lead')}</p>
        <div className="button-row">
          <PrintButton label={t('print.button')} withoutScript={t('print.withoutScript')} />
        </div>
        {back}
      </div>
      <PrintedLetter
        purpose={letter.purpose}
        texts={texts}
        sender={letter.municipalityName}
        recipient={{ name: letter.name, address: letter.address }}
        issuedOn={letter.issuedOn}
        expiresOn={letter.expiresOn}
        credentials={{ code: letter.code, password: letter.password }}
        entryUrl={letter.entryUrl}
        qr={{ target: letter.qrTarget, svg: letter.qrSvg }}
      />
    </div>
  );
}
