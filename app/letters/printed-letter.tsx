import { Fragment, useSyncExternalStore } from 'react';
import type { LetterPurpose } from './letter.ts';
import { userText } from '../ui/user-text.ts';

/**
 * A letter on paper that carries a one-time credential: first access now, card pickup and
 * certificate renewal reservations later. Each purpose brings its own texts and QR target;
 * the layout, the credential block and the QR code stay the same. Styles: app/ui/print.css.
 */
export type LetterTexts = {
  /** The letter's own heading, e.g. 「利用開始のお知らせ」. */
  title: string;
  /** What goes around the recipient's name: 「{name} 様」 in Japanese, nothing in English. */
  recipientName: { before: string; after: string };
  recipientLabel: string;
  senderLabel: string;
  issuedLabel: string;
  lead: string;
  credentialsTitle: string;
  codeLabel: string;
  passwordLabel: string;
  expiresLabel: string;
  stepsTitle: string;
  /** The address to type follows the first step. */
  steps: string[];
  /** The QR code's accessible name: what scanning it does. */
  qrLabel: string;
  qrCaption: string;
  notesTitle: string;
  notes: string[];
};

export type PrintedLetterProps = {
  purpose: LetterPurpose;
  texts: LetterTexts;
  /** The municipality that sends the letter. */
  sender: string;
  /** The postal code (7 digits) prints above the address, for a window envelope. */
  recipient: { name: string; address: string; postalCode?: string | null };
  /** Formatted dates (both calendars on Japanese letters). */
  issuedOn: string;
  expiresOn: string;
  credentials: { code: string; password: string };
  /** Where a reader types by hand, and the link the QR code opens. */
  entryUrl: string;
  qr: { target: string; svg: string };
  /** The language of the register data (names, addresses) inside a page in another language. */
  dataLang?: string;
  /** Tells apart the ids of several letters on one page (a batch). */
  instance?: string;
};

export function PrintedLetter({
  purpose,
  texts,
  sender,
  recipient,
  issuedOn,
  expiresOn,
  credentials,
  entryUrl,
  qr,
  dataLang = 'ja',
  instance,
}: PrintedLetterProps) {
  const base = instance ? `letter-${purpose}-${instance}` : `letter-${purpose}`;
  const titleId = `${base}-title`;
  const credentialsId = `${base}-credentials`;
  const stepsId = `${base}-steps`;
  const notesId = `${base}-notes`;
  return (
    <article className={`letter letter--${purpose}`} aria-labelledby={titleId}>
      <div className="letter__head">
        <div className="letter__recipient">
          <span className="visually-hidden">{texts.recipientLabel}</span>
          {recipient.postalCode ? (
            <span className="letter__postal" translate="no">
              〒{recipient.postalCode.slice(0, 3)}-{recipient.postalCode.slice(3)}
            </span>
          ) : null}
          <span className="letter__address" lang={dataLang}>
            {userText(recipient.address)}
          </span>
          <span className="letter__recipient-name">
            {texts.recipientName.before}
            <span lang={dataLang}>{userText(recipient.name)}</span>
            {texts.recipientName.after}
          </span>
        </div>
        <dl className="letter__meta">
          <div>
            <dt>{texts.senderLabel}</dt>
            <dd lang={dataLang}>{sender}</dd>
          </div>
          <div>
            <dt>{texts.issuedLabel}</dt>
            <dd>{issuedOn}</dd>
          </div>
        </dl>
      </div>

      <h2 id={titleId} className="letter__title">
        {texts.title}
      </h2>
      <p>{texts.lead}</p>

      <section className="letter__credentials" aria-labelledby={credentialsId}>
        <h3 id={credentialsId}>{texts.credentialsTitle}</h3>
        <dl>
          <div>
            <dt>{texts.codeLabel}</dt>
            <dd className="letter__secret" data-letter-code={credentials.code}>
              <LetterCode code={credentials.code} />
            </dd>
          </div>
          <div>
            <dt>{texts.passwordLabel}</dt>
            <dd className="letter__secret" data-letter-password={credentials.password}>
              <span translate="no">{credentials.password}</span>
            </dd>
          </div>
          <div>
            <dt>{texts.expiresLabel}</dt>
            <dd>{expiresOn}</dd>
          </div>
        </dl>
      </section>

      <div className="letter__body">
        <section className="letter__steps" aria-labelledby={stepsId}>
          <h3 id={stepsId}>{texts.stepsTitle}</h3>
          <ol>
            {texts.steps.map((step, i) => (
              <li key={step}>
                {step}
                {i === 0 ? (
                  <span className="letter__url" translate="no">
                    {entryUrl}
                  </span>
                ) : null}
              </li>
            ))}
          </ol>
        </section>
        <figure className="letter__qr">
          <div
            className="letter__qr-code"
            role="img"
            aria-label={texts.qrLabel}
            data-qr-target={qr.target}
            // Our own server-drawn SVG (qr.server.ts), never user input.
            dangerouslySetInnerHTML={{ __html: qr.svg }}
          />
          <figcaption>{texts.qrCaption}</figcaption>
        </figure>
      </div>

      <section className="letter__notes" aria-labelledby={notesId}>
        <h3 id={notesId}>{texts.notesTitle}</h3>
        <ul>
          {texts.notes.map((note) => (
            <li key={note}>{note}</li>
          ))}
        </ul>
      </section>
    </article>
  );
}

/**
 * A letter ID in its printed groups. Each group is its own text so an ID is never mistaken
 * for words (by the browser's translation or a language check); copying still gives
 * "ABCD-EFGH-JKLM".
 */
export function LetterCode({ code }: { code: string }) {
  return (
    <span className="letter-code" translate="no">
      {code.split('-').map((group, i) => (
        <Fragment key={i}>
          {i > 0 ? '-' : null}
          <span>{group}</span>
        </Fragment>
      ))}
    </span>
  );
}

const subscribeNever = () => () => {};

/**
 * The print button needs a script; until the page is interactive (or without JavaScript)
 * people are told to use the browser's own print command instead.
 */
export function PrintButton({ label, withoutScript }: { label: string; withoutScript: string }) {
  const interactive = useSyncExternalStore(
    subscribeNever,
    () => true,
    () => false,
  );
  return interactive ? (
    <button type="button" className="button button--primary" onClick={() => window.print()}>
      {label}
    </button>
  ) : (
    <p className="letter-print-hint">{withoutScript}</p>
  );
}
