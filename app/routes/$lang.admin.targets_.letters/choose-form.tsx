import { Form } from '@remix-run/react';
import { useTranslation } from '../../i18n/react.tsx';
import { ErrorSummary, Field, Fieldset } from '../../ui/form.tsx';
import type { ImportOption } from '../../targets/import-option.server.ts';

type Props = {
  imports: ImportOption[];
  choice: Record<string, string> | null;
  errors: Record<string, string> | null;
};

/** Step one: which targets get a letter (a GET form: the choice is in the address). */
export function ChooseForm({ imports, choice, errors }: Props) {
  const { t } = useTranslation('adminTargetLetters');
  const by = choice?.by ?? 'import';
  const error = (field: string) =>
    errors?.[field] ? t(`choose.errors.${errors[field]}`) : undefined;
  const labels: Record<string, string> = {
    by: t('choose.by'),
    importId: t('choose.import'),
    from: t('choose.from'),
    to: t('choose.to'),
    state: t('choose.state'),
  };
  const ids: Record<string, string> = { by: 'by-import' };
  const summary = Object.keys(errors ?? {}).map((field) => ({
    id: ids[field] ?? field,
    label: labels[field] ?? field,
    message: error(field) ?? '',
  }));

  return (
    <section aria-labelledby="choose-title">
      <h2 id="choose-title">{t('choose.heading')}</h2>
      <Form method="get" className="form">
        <ErrorSummary errors={summary} />
        <Fieldset id="by" legend={t('choose.by')} error={error('by')} required>
          {() => (
            <>
              {(['import', 'dates', 'state'] as const).map((kind) => (
                <div className="checkbox" key={kind}>
                  <input
                    type="radio"
                    id={`by-${kind}`}
                    name="by"
                    value={kind}
                    defaultChecked={by === kind}
                  />
                  <label htmlFor={`by-${kind}`}>{t(`choose.byOption.${kind}`)}</label>
                </div>
              ))}
            </>
          )}
        </Fieldset>
        {imports.length > 0 ? (
          <Field
            id="importId"
            label={t('choose.import')}
            hint={t('choose.importHint')}
            error={error('importId')}
          >
            {(describedBy, invalid) => (
              <select
                id="importId"
                name="importId"
                defaultValue={choice?.importId}
                aria-describedby={describedBy}
                aria-invalid={invalid || undefined}
              >
                {imports.map((i) => (
                  <option key={i.id} value={i.id} lang={i.lang}>
                    {i.label}
                  </option>
                ))}
              </select>
            )}
          </Field>
        ) : (
          // Nothing to choose: the summary's link for "choose an import" lands here.
          <p id="importId" tabIndex={-1} className={error('importId') ? 'field__error' : undefined}>
            {t('choose.noImports')}
          </p>
        )}
        <div>
          {(['from', 'to'] as const).map((part) => (
            <Field key={part} id={part} label={t(`choose.${part}`)} error={error(part)}>
              {(describedBy, invalid) => (
                <input
                  id={part}
                  name={part}
                  type="date"
                  defaultValue={choice?.[part]}
                  aria-describedby={describedBy}
                  aria-invalid={invalid || undefined}
                />
              )}
            </Field>
          ))}
        </div>
        <Field id="state" label={t('choose.state')} error={error('state')}>
          {(describedBy) => (
            <select
              id="state"
              name="state"
              defaultValue={choice?.state ?? 'setup_done'}
              aria-describedby={describedBy}
            >
              {(['setup_done', 'imported'] as const).map((s) => (
                <option key={s} value={s}>
                  {t(`states.${s}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <div className="button-row">
          <button type="submit" className="button button--secondary">
            {t('choose.submit')}
          </button>
        </div>
      </Form>
    </section>
  );
}
