import type { HeadersFunction, LinksFunction, LoaderFunctionArgs } from '@remix-run/node';
import { Link, useLoaderData, useParams } from '@remix-run/react';
import { z } from 'zod';
import { useTranslation } from '../i18n/react.tsx';
import printHref from '../ui/print.css';
import { requireStaff } from '../identity/guards.server.ts';
import { letterBatchForPrint } from '../targets/target-letters.service.server.ts';
import { clerkOf } from '../targets/staff-clerk.server.ts';
import { aroundValue, VALUE_MARK } from '../letters/letter.ts';
import { PrintButton, PrintedLetter, type LetterTexts } from '../letters/printed-letter.tsx';
import { formatReservationId } from '../reservations/booking.ts';
import { formatDateBoth } from '../i18n/dates.ts';
import { isLocale, translator } from '../i18n/locales.ts';
import type { RouteHandle } from '../ui/title.ts';

export const handle: RouteHandle = { i18n: ['adminTargetLetters'] };

/**
 * A batch of reservation letters ready to print, one A4 page each (decision 0045). Outside the
 * staff layout like the first-access letter's page; print.css hides the site frame on paper.
 * The letters are in Japanese whatever the page's language.
 */
export const links: LinksFunction = () => [{ rel: 'stylesheet', href: printHref }];

// The page shows passwords: never keep it in a cache or the back/forward store.
export const headers: HeadersFunction = () => ({ 'Cache-Control': 'no-store' });

/** The letter's own texts, in Japanese. */
function letterTexts(): LetterTexts {
  const t = translator('ja');
  const k = (key: string) => t(`adminTargetLetters:letter.${key}`);
  return {
    title: k('title'),
    recipientLabel: k('recipientLabel'),
    recipientName: aroundValue(t('adminTargetLetters:letter.recipientName', { name: VALUE_MARK })),
    senderLabel: k('senderLabel'),
    issuedLabel: k('issuedLabel'),
    lead: k('lead'),
    credentialsTitle: k('credentialsTitle'),
    codeLabel: k('codeLabel'),
    passwordLabel: k('passwordLabel'),
    expiresLabel: k('expiresLabel'),
    stepsTitle: k('stepsTitle'),
    steps: [k('step1'), k('step2'), k('step3')],
    qrLabel: k('qrLabel'),
    qrCaption: k('qrCaption'),
    notesTitle: k('notesTitle'),
    notes: [k('note1'), k('note2'), k('note3')],
  };
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const staff = await requireStaff(request, context, 'targets:letters');
  const locale = isLocale(params.lang) ? params.lang : 'ja';
  const t = translator(locale);
  const batchId = z.uuid().safeParse(params.batchId);
  if (!batchId.success) throw new Response('Not Found', { status: 404 });
  const batch = await letterBatchForPrint(context.db, context.secrets, {
    // Another city's batch is not found, whoever printed it.
    municipalityCode: clerkOf(staff, context.env).municipalityCode,
    batchId: batchId.data,
    staffAccountId: staff.session.accountId,
    publicOrigin: context.env.publicOrigin,
  });
  if (batch.status === 'not_found') throw new Response('Not Found', { status: 404 });
  if (batch.status === 'expired')
    return { title: t('adminTargetLetters:print.expiredTitle'), printable: false as const };
  return {
    title: t('adminTargetLetters:print.title', { count: batch.letters.length }),
    printable: true as const,
    texts: letterTexts(),
    sender: translator('ja')('adminTargetLetters:letter.sender', { city: batch.cityName }),
    issuedOn: formatDateBoth(batch.printedAt, 'ja'),
    expiresOn: formatDateBoth(batch.qrExpiresAt, 'ja'),
    leftOut: batch.leftOut,
    letters: batch.letters.map((l) => ({
      targetId: l.targetId,
      name: l.name,
      postalCode: l.postalCode,
      address: l.address,
      code: formatReservationId(l.reservationId),
      password: l.password,
      entryUrl: l.entryUrl,
      qrTarget: l.qrTarget,
      qrSvg: l.qrSvg,
    })),
  };
}

export default function PrintTargetLetters() {
  const { t } = useTranslation('adminTargetLetters');
  const { lang } = useParams();
  const loaded = useLoaderData<typeof loader>();
  const back = (
    <p>
      <Link to={`/${lang}/admin/targets/letters`}>{t('print.back')}</Link>
    </p>
  );
  if (!loaded.printable) {
    return (
      <div className="page">
        <h1>{loaded.title}</h1>
        <p className="notice notice--warning">{t('print.expired')}</p>
        {back}
      </div>
    );
  }
  return (
    <div className="print-page">
      <div className="screen-only page">
        <h1>{loaded.title}</h1>
        <p>{t('print.lead')}</p>
        {loaded.leftOut > 0 ? (
          <p className="notice notice--warning">{t('print.leftOut', { count: loaded.leftOut })}</p>
        ) : null}
        <div className="button-row">
          <PrintButton label={t('print.button')} withoutScript={t('print.withoutScript')} />
        </div>
        {back}
      </div>
      <div lang="ja">
        {loaded.letters.map((letter) => (
          <PrintedLetter
            key={letter.targetId}
            instance={letter.targetId}
            purpose="pickup"
            texts={loaded.texts}
            sender={loaded.sender}
            recipient={{
              name: letter.name,
              address: letter.address,
              postalCode: letter.postalCode,
            }}
            issuedOn={loaded.issuedOn}
            expiresOn={loaded.expiresOn}
            credentials={{ code: letter.code, password: letter.password }}
            entryUrl={letter.entryUrl}
            qr={{ target: letter.qrTarget, svg: letter.qrSvg }}
          />
        ))}
      </div>
    </div>
  );
}
