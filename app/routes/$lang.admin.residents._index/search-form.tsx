import { Form, useLoaderData, useLocation } from '@remix-run/react';
import { getFormProps, getInputProps, useForm } from '@conform-to/react';
import type { z } from 'zod';
import { useTranslation } from '../../i18n/react.tsx';
import { KeptEdits } from '../../ui/kept-edits.tsx';
import { ErrorSummary, Field, Fieldset } from '../../ui/form.tsx';
import type { SearchSchema } from './search.schema.ts';
import type { loader } from './route.tsx';

/** By name (kanji, kana or Latin) and/or date of birth; a GET form, so a search has an address. */
export function SearchForm() {
  const { t } = useTranslation('adminResidents');
  const { result } = useLoaderData<typeof loader>();
  const { search } = useLocation();
  const params = new URLSearchParams(search);
  const [form, fields] = useForm<z.input<typeof SearchSchema>, z.output<typeof SearchSchema>>({
    lastResult: result,
    defaultValue: {
      q: params.get('q') ?? '',
      birthYear: params.get('birthYear') ?? '',
      birthMonth: params.get('birthMonth') ?? '',
      birthDay: params.get('birthDay') ?? '',
    },
    shouldValidate: 'onSubmit',
  });
  const message = (errors: string[] | undefined) => (errors?.[0] ? t(errors[0]) : undefined);
  const textError = message(fields.q.errors);
  const birthError = message(fields.birthYear.errors);
  const summary = [
    textError ? { id: fields.q.id, label: t('search.text'), message: textError } : null,
    birthError
      ? { id: fields.birthYear.id, label: t('search.birthDate'), message: birthError }
      : null,
  ].filter((e) => e !== null);

  return (
    <Form
      method="get"
      {...getFormProps(form, { ariaAttributes: false })}
      className="form"
      role="search"
    >
      <ErrorSummary errors={summary} />
      <KeptEdits name="residents-search" />
      <Field
        id={fields.q.id}
        label={t('search.text')}
        hint={t('search.textHint')}
        error={textError}
      >
        {(describedBy, invalid) => (
          <input
            {...getInputProps(fields.q, { type: 'search' })}
            autoComplete="off"
            spellCheck={false}
            aria-describedby={describedBy}
            aria-invalid={invalid || undefined}
          />
        )}
      </Field>
      <Fieldset
        id={fields.birthYear.id}
        legend={t('search.birthDate')}
        hint={t('search.birthDateHint')}
        error={birthError}
      >
        {(_describedBy, invalid) => (
          <div className="date-parts">
            {(
              [
                ['birthYear', 'search.year'],
                ['birthMonth', 'search.month'],
                ['birthDay', 'search.day'],
              ] as const
            ).map(([name, label]) => (
              <div key={name}>
                <label htmlFor={fields[name].id}>{t(label)}</label>
                <input
                  {...getInputProps(fields[name], { type: 'text', ariaAttributes: false })}
                  inputMode={name === 'birthYear' ? 'text' : 'numeric'}
                  className={name === 'birthYear' ? 'input--year' : 'input--short'}
                  autoComplete="off"
                  aria-invalid={invalid || undefined}
                />
              </div>
            ))}
          </div>
        )}
      </Fieldset>
      <div className="button-row">
        <button type="submit" className="button button--primary">
          {t('search.submit')}
        </button>
      </div>
    </Form>
  );
}
