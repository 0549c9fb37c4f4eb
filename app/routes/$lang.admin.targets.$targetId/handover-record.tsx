import type { ReactNode } from 'react';
import type { useLoaderData } from '@remix-run/react';
import { useTranslation } from '../../i18n/react.tsx';
import { RecordTable } from '../../ui/record-table.tsx';
import { MarkJapanese } from '../../ui/mark-japanese.tsx';
import { userText } from '../../ui/user-text.ts';
import { IDENTITY_DOCUMENTS } from './handover.schema.ts';
import type { loader } from './route.tsx';

type Handover = ReturnType<typeof useLoaderData<typeof loader>>['handovers'][number];

const isDocument = (value: string): value is (typeof IDENTITY_DOCUMENTS)[number] =>
  (IDENTITY_DOCUMENTS as readonly string[]).includes(value);

/** A card handed over: when, by whom, what was checked and done. */
export function HandoverRecord({ handover }: { handover: Handover }) {
  const { t } = useTranslation('adminTargets');
  const id = `handover-${handover.manufactureNo.replace(/[^A-Za-z0-9_-]/g, '_')}`;
  const document = (value: string) =>
    isDocument(value) ? (
      t(`handover.document.${value}`)
    ) : value.startsWith('other:') ? (
      <>
        {t('handover.document.other')}: <MarkJapanese text={userText(value.slice(6))} />
      </>
    ) : (
      value
    );
  const steps = (
    [
      ['userCertificate', handover.userCertificate],
      ['signingCertificate', handover.signingCertificate],
      ['pinSetup', handover.pinSetup],
    ] as const
  )
    .filter(([, done]) => done)
    .map(([step]) => t(`handover.${step}`));
  const rows: [string, ReactNode][] = [
    [t('record.manufactureNo'), <span translate="no">{userText(handover.manufactureNo)}</span>],
    [t('record.issuedAt'), handover.issuedAt],
    [t('record.by'), <MarkJapanese text={userText(handover.issuedBy)} />],
    [
      t('record.documents'),
      <ul>
        {handover.identityDocuments.map((d) => (
          <li key={d}>{document(d)}</li>
        ))}
      </ul>,
    ],
    [
      t('record.faceCheck'),
      handover.faceCheck === 'matched' ? t('handover.faceMatched') : t('handover.faceNotMatched'),
    ],
    [
      t('record.steps'),
      steps.length > 0 ? (
        <ul>
          {steps.map((step) => (
            <li key={step}>{step}</li>
          ))}
        </ul>
      ) : (
        t('record.stepsNone')
      ),
    ],
  ];
  return (
    <section>
      <h2 id={`${id}-title`}>{t('record.title')}</h2>
      <RecordTable labelledBy={`${id}-title`} rows={rows} />
    </section>
  );
}
