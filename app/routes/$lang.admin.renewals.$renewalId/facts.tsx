import { useTranslation } from 'react-i18next';
import { userText } from '../../ui/user-text.ts';
import type { loader } from './route.tsx';

type Renewal = Awaited<ReturnType<typeof loader>>['renewal'];

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
  const history = [
    t('detail.added', { when: r.createdAt, who: r.createdByName ?? '' }),
    r.renewedAt ? t('detail.renewedAt', { when: r.renewedAt, who: r.renewedByName ?? '' }) : null,
    r.clearedAt && r.clearReason
      ? t('detail.clearedAt', {
          when: r.clearedAt,
          who: r.clearedByName ?? '',
          reason: t(`reason.${r.clearReason}`),
        })
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
          {history.map((h) => (
            <li key={h}>{userText(h)}</li>
          ))}
        </ul>
        {r.clearNote ? (
          <p>
            {t('detail.note')}: <span lang="ja">{userText(r.clearNote)}</span>
          </p>
        ) : null}
      </section>
    </>
  );
}
