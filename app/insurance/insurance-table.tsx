import { useId, type ReactNode } from 'react';
import { useTranslation } from '../i18n/react.tsx';
import { formatDateBoth, tokyoDayStart } from '../i18n/dates.ts';
import type { Locale } from '../i18n/locales.ts';
import type { Qualification, QualificationState } from './insurance.ts';
import { TableRegion } from '../ui/table-region.tsx';

/** What a page shows of one qualification, formatted in the loader for the page's language. */
export function qualificationView(
  q: Qualification & { state: QualificationState },
  locale: Locale,
) {
  const day = (date: string) => formatDateBoth(tokyoDayStart(date), locale);
  return {
    key: `${q.insurerNumber}|${q.qualifiedFrom}`,
    state: q.state,
    insurerName: q.insurerName,
    insurerNumber: q.insurerNumber,
    symbol: q.symbol,
    number: q.number,
    branch: q.branch,
    from: day(q.qualifiedFrom),
    fromIso: q.qualifiedFrom,
    until: q.qualifiedUntil ? day(q.qualifiedUntil) : null,
    untilIso: q.qualifiedUntil,
    copaymentPercent: q.copaymentPercent,
  };
}
export type QualificationView = ReturnType<typeof qualificationView>;

const sections: { state: QualificationState; key: string }[] = [
  { state: 'current', key: 'current' },
  { state: 'future', key: 'future' },
  { state: 'ended', key: 'history' },
];

/**
 * A resident's qualifications, the current one first and the history after, one table each
 * with row headers (it reads the same with CSS off and at any width). Insurer names and
 * symbols are data in Japanese, tagged so on English pages.
 */
export function QualificationList({ records }: { records: QualificationView[] }) {
  const { t } = useTranslation('insurance');
  return (
    <>
      {sections.map(({ state, key }) => {
        const group = records.filter((r) => r.state === state);
        if (group.length === 0) return null;
        return (
          <section key={state} aria-labelledby={`insurance-${key}`}>
            <h2 id={`insurance-${key}`}>{t(key)}</h2>
            {group.map((r) => (
              <QualificationTable key={r.key} record={r} />
            ))}
          </section>
        );
      })}
    </>
  );
}

function QualificationTable({ record: r }: { record: QualificationView }) {
  const { t } = useTranslation('insurance');
  const none = t('noValue');
  const captionId = useId();
  const rows: [string, ReactNode][] = [
    [t('field.state'), <strong>{t(`state.${r.state}`)}</strong>],
    [t('field.insurerName'), <span lang="ja">{r.insurerName}</span>],
    [t('field.insurerNumber'), <span translate="no">{r.insurerNumber}</span>],
    [t('field.symbol'), r.symbol ? <span lang="ja">{r.symbol}</span> : none],
    [t('field.number'), <span lang="ja">{r.number}</span>],
    [t('field.branch'), r.branch ? <span translate="no">{r.branch}</span> : none],
    [t('field.from'), <time dateTime={r.fromIso}>{r.from}</time>],
    [
      t('field.until'),
      r.until && r.untilIso ? (
        <time dateTime={r.untilIso}>{r.until}</time>
      ) : r.state === 'current' ? (
        t('untilNone')
      ) : (
        none
      ),
    ],
    [t('field.copayment'), t(`copayment.${r.copaymentPercent}`)],
  ];
  return (
    <TableRegion labelledBy={captionId}>
      <table data-insurer-number={r.insurerNumber}>
        <caption id={captionId}>
          <span lang="ja">{r.insurerName}</span>
        </caption>
        <tbody>
          {rows.map(([label, value]) => (
            <tr key={label}>
              <th scope="row">{label}</th>
              <td>{value}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableRegion>
  );
}
