import { useTranslation } from '../../i18n/react.tsx';
import { PersonName } from '../../ui/layout.tsx';
import { isJapaneseScript, userText } from '../../ui/user-text.ts';
import type { loader } from './route.tsx';

type Renewal = Awaited<ReturnType<typeof loader>>['renewal'];

/** Where a clerk's name goes in a sentence of the history. */
const WHO = '\u0000';

/** Who the person is, where they stand, and who did what when. */
export function RenewalFacts({ renewal: r }: { renewal: Renewal }) {
  const { t } = useTranslation('adminRenewals');
  const rows: [string, React.ReactNode][] = [
    [t('detail.name'), <span lang="ja">{userText(r.name)}</span>],
    [
      t('detail.nameKana'),
      r.nameKana ? <span lang="ja">{userText(r.nameKana)}</span> : t('detail.unknown'),
    ],
    [t('detail.birthDate'), r.birthDate],
    [t('detail.address'), <span lang="ja">{userText(r.address)}</span>],
    [t('detail.registerCode'), r.residentRegisterCode],
    [t('detail.noticeNumber'), r.noticeNumber],
    [t('detail.expires'), r.certificateExpiresOn ?? t('detail.unknown')],
    [t('detail.state'), <strong>{t(`state.${r.state}`)}</strong>],
    [
      t('detail.origin'),
      r.origin === 'import' ? t('detail.originImport') : t('detail.originManual'),
    ],
  ];
  // A clerk's name is read in its own script's language, inside a sentence of the page's.
  const byWhom = (text: string, who: string | null) => {
    const [before, after] = text.split(WHO);
    return after === undefined ? (
      userText(text)
    ) : (
      <>
        {before}
        <PersonName name={who ?? ''} />
        {after}
      </>
    );
  };
  const history = [
    byWhom(t('detail.added', { when: r.createdAt, who: WHO }), r.createdByName),
    r.renewedAt
      ? byWhom(t('detail.renewedAt', { when: r.renewedAt, who: WHO }), r.renewedByName)
      : null,
    r.clearedAt && r.clearReason
      ? byWhom(
          t('detail.clearedAt', {
            when: r.clearedAt,
            who: WHO,
            reason: t(`reason.${r.clearReason}`),
          }),
          r.clearedByName,
        )
      : null,
  ].filter((h) => h !== null);
  return (
    <>
      <section aria-labelledby="facts-title">
        <h2 id="facts-title">{t('detail.facts')}</h2>
        <dl className="meta-list">
          {rows.map(([label, value]) => (
            <div key={label}>
              <dt>{label}</dt>
              <dd>{value}</dd>
            </div>
          ))}
        </dl>
      </section>
      <section aria-labelledby="history-title">
        <h2 id="history-title">{t('detail.history')}</h2>
        <ul>
          {history.map((h, i) => (
            <li key={i}>{h}</li>
          ))}
        </ul>
        {r.clearNote ? (
          <p>
            {t('detail.note')}:{' '}
            <span lang={isJapaneseScript(r.clearNote) ? 'ja' : undefined}>
              {userText(r.clearNote)}
            </span>
          </p>
        ) : null}
      </section>
    </>
  );
}
