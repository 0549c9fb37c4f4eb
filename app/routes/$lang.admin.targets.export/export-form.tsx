import { Form, useParams } from '@remix-run/react';
import { useTranslation } from '../../i18n/react.tsx';
import { ErrorSummary, Field, Fieldset, type FieldError } from '../../ui/form.tsx';
import type { ImportOption } from '../../targets/import-option.server.ts';
import { PICKUP_STATES } from '../../targets/target.ts';
import {
  EXPORT_ENCODINGS,
  EXPORT_FIELDS,
  type ExportErrors,
  type ExportValues,
} from '../../targets/target-export-search.ts';

type ExportOptions = {
  imports: ImportOption[];
};

/** The export's choices: a GET form, so the page and its result work without JavaScript. */
export function ExportForm({
  options,
  values,
  errors,
}: {
  options: ExportOptions;
  values: ExportValues;
  errors: ExportErrors;
}) {
  const { t } = useTranslation('adminTargetExport');
  const { lang } = useParams();
  const error = (name: keyof ExportErrors) => (errors[name] ? t(errors[name]) : undefined);
  const summary: FieldError[] = EXPORT_FIELDS.filter((name) => errors[name]).map((name) => ({
    id: name === 'encoding' ? 'encoding-utf-8' : name,
    label: t(`form.${name === 'importId' ? 'import' : name}`),
    message: error(name) ?? '',
  }));
  const select = (
    name: 'state' | 'importId',
    label: string,
    hint: string,
    choices: [value: string, text: string, lang?: 'ja'][],
  ) => (
    <Field id={name} label={label} hint={hint} error={error(name)}>
      {(describedBy, invalid) => (
        <select
          id={name}
          name={name}
          defaultValue={values[name]}
          aria-describedby={describedBy}
          aria-invalid={invalid || undefined}
        >
          <option value="">{t('form.all')}</option>
          {choices.map(([value, text, textLang]) => (
            <option key={value} value={value} lang={textLang}>
              {text}
            </option>
          ))}
        </select>
      )}
    </Field>
  );

  return (
    <Form
      method="get"
      action={`/${lang}/admin/targets/export`}
      className="form"
      aria-labelledby="export-form-heading"
    >
      <h2 id="export-form-heading">{t('form.heading')}</h2>
      <ErrorSummary errors={summary} />
      {select(
        'state',
        t('form.state'),
        t('form.stateHint'),
        PICKUP_STATES.map((state) => [state, t(`state.${state}`)]),
      )}
      {select(
        'importId',
        t('form.import'),
        t('form.importHint'),
        options.imports.map((i) => [i.id, i.label, i.lang]),
      )}
      <Fieldset
        id="encoding"
        legend={t('form.encoding')}
        hint={t('form.encodingHint')}
        error={error('encoding')}
        required
      >
        {() =>
          EXPORT_ENCODINGS.map((encoding) => (
            <div className="checkbox" key={encoding}>
              <input
                type="radio"
                id={`encoding-${encoding}`}
                name="encoding"
                value={encoding}
                defaultChecked={values.encoding === encoding}
              />
              <label htmlFor={`encoding-${encoding}`}>
                {t(encoding === 'utf-8' ? 'form.utf8' : 'form.cp932')}
              </label>
            </div>
          ))
        }
      </Fieldset>
      <div className="button-row">
        <button type="submit" className="button">
          {t('form.submit')}
        </button>
      </div>
    </Form>
  );
}
