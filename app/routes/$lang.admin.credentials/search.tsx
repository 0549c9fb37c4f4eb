import type { RefObject } from 'react';
import { Form, Link, useLocation, useParams } from '@remix-run/react';
import { useTranslation } from '../../i18n/react.tsx';
import { ErrorSummary, Field } from '../../ui/form.tsx';
import { KeptEdits } from '../../ui/kept-edits.tsx';
import { TableRegion } from '../../ui/table-region.tsx';
import { userText } from '../../ui/user-text.ts';

/** A GET form, so a search has an address; the same search as the residents page. */
export function SearchForm({ invalid }: { invalid: boolean }) {
  const { t } = useTranslation('credentials');
  const { search } = useLocation();
  const q = new URLSearchParams(search).get('q') ?? '';
  const error = invalid ? t('admin.tooLong') : undefined;
  return (
    <Form method="get" className="form" role="search" key={search}>
      <ErrorSummary errors={error ? [{ id: 'q', label: t('admin.search'), message: error }] : []} />
      <KeptEdits name="credentials-search" />
      <Field id="q" label={t('admin.search')} hint={t('admin.searchHint')} error={error}>
        {(describedBy, isInvalid) => (
          <input
            id="q"
            name="q"
            type="search"
            defaultValue={q}
            autoComplete="off"
            spellCheck={false}
            aria-describedby={describedBy}
            aria-invalid={isInvalid || undefined}
          />
        )}
      </Field>
      <div className="button-row">
        <button type="submit" className="button button--primary">
          {t('admin.searchSubmit')}
        </button>
      </div>
    </Form>
  );
}

type Found = {
  id: string;
  name: string;
  nameKana: string;
  birthDate: string;
  address: string;
};

/** The residents found, each opening their credentials; the page focuses `heading` after a search. */
export function ResidentResults({
  residents,
  more,
  limit,
  heading,
}: {
  residents: Found[];
  more: boolean;
  limit: number;
  heading: RefObject<HTMLHeadingElement>;
}) {
  const { t } = useTranslation('credentials');
  const { lang } = useParams();
  return (
    <section aria-labelledby="results-title">
      <h2 id="results-title" tabIndex={-1} ref={heading}>
        {t('admin.results')}
      </h2>
      <div role="status">
        <p>
          {residents.length === 0 ? t('admin.none') : t('admin.count', { count: residents.length })}
        </p>
      </div>
      {more ? <p className="notice notice--warning">{t('admin.tooMany', { limit })}</p> : null}
      {residents.length > 0 ? (
        <TableRegion labelledBy="results-title">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('admin.resident')}</th>
                <th scope="col">{t('admin.birth')}</th>
                <th scope="col">{t('admin.address')}</th>
              </tr>
            </thead>
            <tbody>
              {residents.map((r) => (
                <tr key={r.id}>
                  <th scope="row">
                    <Link to={`/${lang}/admin/credentials?resident=${r.id}`} lang="ja">
                      {userText(r.name)}
                    </Link>
                    <div className="hint" lang="ja">
                      {userText(r.nameKana)}
                    </div>
                  </th>
                  <td>{r.birthDate}</td>
                  <td lang="ja">{userText(r.address)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableRegion>
      ) : null}
    </section>
  );
}
