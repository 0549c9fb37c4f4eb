import { Form, useLoaderData, useLocation } from '@remix-run/react';
import { getFormProps, getSelectProps, useForm } from '@conform-to/react';
import type { z } from 'zod';
import { useTranslation } from '../../i18n/react.tsx';
import { KeptEdits } from '../../ui/kept-edits.tsx';
import { ErrorSummary, Field } from '../../ui/form.tsx';
import { MarkJapanese } from '../../ui/mark-japanese.tsx';
import { TextField } from '../../ui/text-field.tsx';
import { PICKUP_STATES } from '../../targets/target.ts';
import type { SearchSchema } from './search.schema.ts';
import type { loader } from './route.tsx';

const TEXT_FIELDS = [
  'name',
  'birthDate',
  'address',
  'applicationId',
  'manufactureNo',
  'reservationId',
] as const;

/** Any of the fields, together narrowing; a GET form, so a search has an address. */
export function SearchForm() {
  const { t } = useTranslation('adminTargets');
  const { result } = useLoaderData<typeof loader>();
  const { search } = useLocation();
  const params = new URLSearchParams(search);
  const [form, fields] = useForm<z.input<typeof SearchSchema>, z.output<typeof SearchSchema>>({
    lastResult: result,
    defaultValue: Object.fromEntries(
      [...TEXT_FIELDS, 'state'].map((name) => [name, params.get(name) ?? '']),
    ),
    shouldValidate: 'onSubmit',
  });
  const message = (errors: string[] | undefined) => (errors?.[0] ? t(errors[0]) : undefined);
  const summary = [...TEXT_FIELDS, 'state' as const].flatMap((name) => {
    const error = message(fields[name].errors);
    return error ? [{ id: fields[name].id, label: t(`search.${name}`), message: error }] : [];
  });

  return (
    <Form
      method="get"
      {...getFormProps(form, { ariaAttributes: false })}
      className="form"
      role="search"
      aria-label={t('search.formLabel')}
    >
      <ErrorSummary errors={summary} />
      <KeptEdits name="targets-search" />
      {TEXT_FIELDS.map((name) => (
        <TextField
          key={name}
          meta={fields[name]}
          label={t(`search.${name}`)}
          hint={<MarkJapanese text={t(`search.hints.${name}`)} />}
          error={message(fields[name].errors)}
        />
      ))}
      <Field id={fields.state.id} label={t('search.state')} error={message(fields.state.errors)}>
        {(describedBy, invalid) => (
          <select
            {...getSelectProps(fields.state, { ariaAttributes: false })}
            aria-describedby={describedBy}
            aria-invalid={invalid || undefined}
          >
            <option value="">{t('search.anyState')}</option>
            {PICKUP_STATES.map((state) => (
              <option key={state} value={state}>
                {t(`states.${state}`)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <div className="button-row">
        <button type="submit" className="button button--primary">
          {t('search.submit')}
        </button>
      </div>
    </Form>
  );
}
