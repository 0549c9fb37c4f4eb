import type { z } from 'zod';
import { Form, useActionData } from '@remix-run/react';
import { getFormProps, getInputProps, useForm } from '@conform-to/react';
import { useEffect, useRef } from 'react';
import { useTranslation } from '../../i18n/react.tsx';
import { ErrorSummary, Field, Fieldset } from '../../ui/form.tsx';
import type { InviteSchema } from '../../identity/staff.schema.ts';
import { langOf } from './lang-of.ts';
import type { action } from './route.tsx';
import { userText } from '../../ui/user-text.ts';

/** Invites a new staff member; the one-time link is shown once, right after. */
export function InviteForm({
  formAction,
  groups,
  hours,
}: {
  formAction: string;
  groups: { id: string; name: string }[];
  hours: number;
}) {
  const { t } = useTranslation('adminStaff');
  const result = useActionData<typeof action>();
  const invite = result && 'result' in result ? result : undefined;
  const invitation = invite?.invitation;
  const [form, fields] = useForm<z.input<typeof InviteSchema>>({
    id: 'invite',
    lastResult: invite?.result,
    shouldValidate: 'onSubmit',
  });
  const message = (errors: string[] | undefined) => (errors?.[0] ? t(errors[0]) : undefined);
  const summary = (
    [
      [fields.name, 'invite.name', fields.name.id],
      [fields.email, 'invite.email', fields.email.id],
      [fields.groups, 'invite.groups', `${fields.groups.id}-0`],
    ] as const
  )
    .filter(([field]) => field.errors?.length)
    .map(([field, label, id]) => ({ id, label: t(label), message: message(field.errors) ?? '' }));
  const groupsError = message(fields.groups.errors);
  const chosen = [fields.groups.initialValue ?? []].flat();

  const createdHeading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (invitation) createdHeading.current?.focus();
  }, [invitation]);

  return (
    <>
      <h2>{t('invite.title')}</h2>
      {invitation ? (
        <section className="notice" aria-labelledby="invitation-title">
          <h3 id="invitation-title" ref={createdHeading} tabIndex={-1}>
            {t('invite.createdTitle', { name: invitation.name })}
          </h3>
          <p>
            <strong>{t('invite.once')}</strong>
          </p>
          <div className="field">
            <label htmlFor="invitation-link" className="field__label">
              {t('invite.link')}
            </label>
            <input
              id="invitation-link"
              type="text"
              size={60}
              readOnly
              value={invitation.link}
              onFocus={(e) => e.currentTarget.select()}
            />
          </div>
          <p>{t('invite.expires', { time: invitation.expires })}</p>
        </section>
      ) : null}
      <p>{t('invite.lead', { hours })}</p>
      <Form
        method="post"
        action={formAction}
        {...getFormProps(form, { ariaAttributes: false })}
        className="form"
      >
        <ErrorSummary errors={summary} />
        <input type="hidden" name="intent" value="invite" />
        <Field
          id={fields.name.id}
          label={t('invite.name')}
          error={message(fields.name.errors)}
          required
        >
          {(describedBy, invalid) => (
            <input
              {...getInputProps(fields.name, { type: 'text' })}
              autoComplete="off"
              aria-describedby={describedBy}
              aria-invalid={invalid || undefined}
            />
          )}
        </Field>
        <Field
          id={fields.email.id}
          label={t('invite.email')}
          hint={t('invite.emailHint')}
          error={message(fields.email.errors)}
          required
        >
          {(describedBy, invalid) => (
            <input
              {...getInputProps(fields.email, { type: 'email' })}
              autoComplete="off"
              spellCheck={false}
              aria-describedby={describedBy}
              aria-invalid={invalid || undefined}
            />
          )}
        </Field>
        <Fieldset
          id={fields.groups.id}
          legend={t('invite.groups')}
          hint={t('invite.groupsHint')}
          error={groupsError}
          required
        >
          {(_describedBy, invalid) =>
            groups.map((g, i) => (
              <div className="checkbox" key={`${form.key}-${g.id}`}>
                <input
                  type="checkbox"
                  id={`${fields.groups.id}-${i}`}
                  name={fields.groups.name}
                  value={g.id}
                  defaultChecked={chosen.includes(g.id)}
                  aria-invalid={invalid || undefined}
                />
                <label htmlFor={`${fields.groups.id}-${i}`} lang={langOf(g.name)}>
                  {userText(g.name)}
                </label>
              </div>
            ))
          }
        </Fieldset>
        <div className="button-row">
          <button type="submit" className="button button--primary">
            {t('invite.submit')}
          </button>
        </div>
      </Form>
    </>
  );
}
