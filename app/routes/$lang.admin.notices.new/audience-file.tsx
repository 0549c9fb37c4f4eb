import { useTranslation } from '../../i18n/react.tsx';
import { Field } from '../../ui/form.tsx';
import type { AudienceReport } from '../../notices/notice.schema.ts';
import { TableRegion } from '../../ui/table-region.tsx';
import { rangeText } from '../../i18n/dates.ts';

/**
 * The audience list upload, shared by the notice and to-do forms: the file input, the list a
 * previous round trip already checked (carried in a hidden field, because a browser cannot
 * keep the chosen file), and every refused row with its line number and the reason.
 */
export function AudienceFileField({
  id,
  error,
  report,
  carried,
  required,
}: {
  id: string;
  error?: string;
  report: AudienceReport | null;
  carried: { codes: string; count: number } | null;
  required?: boolean;
}) {
  const { t } = useTranslation('adminNotices');
  // The column's Japanese name stays Japanese (and marked so) on the English page.
  const hint = t('csv.fileHint', { column: '\u0000' }).split('\u0000');
  return (
    <>
      <Field
        id={id}
        label={t('csv.file')}
        hint={
          <>
            {hint[0]}
            <span lang="ja">住民票コード</span>
            {hint[1]}
          </>
        }
        error={error}
        required={required}
      >
        {(describedBy, invalid) => (
          <input
            id={id}
            name="audienceFile"
            type="file"
            accept=".csv,.txt,text/csv,text/plain"
            aria-describedby={[describedBy, carried ? `${id}-carried` : null]
              .filter(Boolean)
              .join(' ')}
            aria-invalid={invalid || undefined}
          />
        )}
      </Field>
      {carried ? (
        <p className="notice" id={`${id}-carried`} data-testid="audience-carried">
          <input type="hidden" name="audienceCodes" value={carried.codes} />
          {t('csv.carried', { count: carried.count })}
        </p>
      ) : null}
      {report ? <AudienceReportTable id={`${id}-report`} report={report} /> : null}
    </>
  );
}

const JAPANESE = /[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]/;

function AudienceReportTable({ id, report }: { id: string; report: AudienceReport }) {
  const { t, i18n } = useTranslation('adminNotices');
  if (report.fileError) return null;
  return (
    <section className="csv-report" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>{t('csv.reportTitle')}</h3>
      <p>{t('csv.reportLead', { errors: report.errorCount, rows: report.rowCount })}</p>
      <TableRegion label={t('csv.reportTable')}>
        <table>
          <thead>
            <tr>
              <th scope="col">{t('csv.line')}</th>
              <th scope="col">{t('csv.value')}</th>
              <th scope="col">{t('csv.problem')}</th>
            </tr>
          </thead>
          <tbody>
            {report.listed.map((row) => (
              <tr key={row.line}>
                <th scope="row">{t('csv.lineNumber', { line: row.line })}</th>
                <td translate="no" lang={JAPANESE.test(row.value) ? 'ja' : undefined}>
                  {row.value || t('csv.emptyValue')}
                </td>
                <td>{t(`csv.problems.${row.problem}`, { firstLine: row.firstLine ?? 0 })}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableRegion>
      {report.more.length > 0 ? (
        <>
          <p>{t('csv.moreLead', { count: report.errorCount - report.listed.length })}</p>
          <ul>
            {report.more.map((m) => (
              <li key={m.problem}>
                {t(`csv.more.${m.problem}`, {
                  count: m.count,
                  // "5–7" from lineRanges, written as a range speech reads out.
                  lines: m.lines.replace(/(\d+)–(\d+)/g, (_, from: string, to: string) =>
                    rangeText(from, to, i18n.language === 'en' ? 'en' : 'ja'),
                  ),
                })}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}
