import { Link, useLoaderData, useLocation } from '@remix-run/react';
import { useTranslation } from '../../i18n/react.tsx';
import { TableRegion } from '../../ui/table-region.tsx';
import { userText } from '../../ui/user-text.ts';
import { MarkJapanese } from '../../ui/mark-japanese.tsx';
import type { TargetLineProblem } from '../../targets/target-csv.ts';
import { problemText } from './problem-text.ts';
import type { loader } from './route.tsx';

const japanese = /[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\uff66-\uff9f]/;
const valueLang = (text: string | null) => (text && japanese.test(text) ? 'ja' : undefined);

/** How many new, updated, unchanged and refused; every refused line (paged); what changes. */
export function ImportPreview({ format }: { format: (n: number) => string }) {
  const { t } = useTranslation('adminTargetImport');
  const { view, page } = useLoaderData<typeof loader>();
  if (!view.counts) return null;
  const { counts } = view;
  return (
    <>
      <dl className="import-counts" aria-label={t('preview.summaryLabel')}>
        {(['new', 'updated', 'unchanged'] as const).map((k) => (
          <div key={k}>
            <dt>{t(`preview.${k}`)}</dt>
            <dd data-count={k}>{t('preview.countUnit', { count: format(counts[k]) })}</dd>
          </div>
        ))}
        <div>
          <dt>{t('preview.rejected')}</dt>
          <dd data-count="rejected">{t('preview.rowsUnit', { count: format(counts.rejected) })}</dd>
        </div>
      </dl>
      <Problems
        problems={view.problems as TargetLineProblem[]}
        count={counts.rejected}
        page={page}
        pages={view.problemPages}
        format={format}
      />
      {view.changes.length > 0 ? (
        <section aria-labelledby="changes-heading">
          <h3 id="changes-heading">
            {t('preview.changesHeading', { count: format(counts.updated) })}
          </h3>
          <p>{t('preview.changesShown', { shown: format(view.changes.length) })}</p>
          <TableRegion labelledBy="changes-caption">
            <table>
              <caption id="changes-caption">{t('preview.changesCaption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('preview.line')}</th>
                  <th scope="col">{t('preview.applicationId')}</th>
                  <th scope="col">{t('preview.field')}</th>
                  <th scope="col">{t('preview.before')}</th>
                  <th scope="col">{t('preview.after')}</th>
                </tr>
              </thead>
              <tbody>
                {view.changes.flatMap((c) =>
                  c.fields.map((f) => (
                    <tr key={`${c.line}-${f.field}`}>
                      <td>{t('preview.lineNumber', { line: c.line })}</td>
                      <td>{c.applicationId}</td>
                      <th scope="row">{t(`field.${f.field}`)}</th>
                      <td lang={valueLang(f.before)}>{userText(f.before) ?? t('preview.empty')}</td>
                      <td lang={valueLang(f.after)}>{userText(f.after) ?? t('preview.empty')}</td>
                    </tr>
                  )),
                )}
              </tbody>
            </table>
          </TableRegion>
        </section>
      ) : null}
    </>
  );
}

function Problems({
  problems,
  count,
  page,
  pages,
  format,
}: {
  problems: TargetLineProblem[];
  count: number;
  page: number;
  pages: number;
  format: (n: number) => string;
}) {
  const { t } = useTranslation('adminTargetImport');
  const { pathname } = useLocation();
  if (count === 0) return <p>{t('preview.noProblems')}</p>;
  return (
    <section aria-labelledby="problems-heading">
      <h3 id="problems-heading">{t('preview.problemsHeading', { count: format(count) })}</h3>
      <TableRegion labelledBy="problems-caption">
        <table data-testid="rejected-lines">
          <caption id="problems-caption">
            {t('preview.problemsCaption', { page: format(page), pages: format(pages) })}
          </caption>
          <thead>
            <tr>
              <th scope="col">{t('preview.line')}</th>
              <th scope="col">{t('preview.reason')}</th>
            </tr>
          </thead>
          <tbody>
            {problems.map((p) => (
              <tr key={p.line}>
                <th scope="row">{t('preview.lineNumber', { line: p.line })}</th>
                <td>
                  <MarkJapanese text={problemText(t, p)} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableRegion>
      {pages > 1 ? (
        <nav aria-label={t('preview.pager')} className="pager">
          <ul>
            {page > 1 ? (
              <li>
                <Link to={`${pathname}?page=${page - 1}`}>{t('preview.previous')}</Link>
              </li>
            ) : null}
            <li aria-current="page">
              {t('preview.pageOf', { page: format(page), pages: format(pages) })}
            </li>
            {page < pages ? (
              <li>
                <Link to={`${pathname}?page=${page + 1}`}>{t('preview.next')}</Link>
              </li>
            ) : null}
          </ul>
        </nav>
      ) : null}
    </section>
  );
}
