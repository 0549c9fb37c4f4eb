import { useEffect, useRef } from 'react';
import { useTranslation } from '../../i18n/react.tsx';
import { Field } from '../../ui/form.tsx';
import { PasskeyForm } from '../../ui/passkey.tsx';

/** Step two: the letter checked out, register a passkey for the new account. */
export function PasskeyStep({
  challengeId,
  options,
  name,
}: {
  challengeId: string;
  options: object;
  name: string;
}) {
  const { t } = useTranslation('identity');
  const heading = useRef<HTMLHeadingElement>(null);
  // The page changed its step without a navigation: take the reader to the new step.
  useEffect(() => heading.current?.focus(), []);
  return (
    <div className="page page--narrow">
      <h1>{t('firstAccess.title')}</h1>
      <h2 ref={heading} tabIndex={-1}>
        {t('firstAccess.passkeyTitle')}
      </h2>
      <p>{t('firstAccess.passkeyLead', { name })}</p>
      <PasskeyForm
        mode="register"
        options={options}
        challengeId={challengeId}
        intent="register"
        buttonLabel={t('firstAccess.passkeyButton')}
      >
        <Field
          id="passkey-name"
          label={t('firstAccess.passkeyName')}
          hint={t('firstAccess.passkeyNameHint')}
        >
          {(describedBy) => (
            <input
              id="passkey-name"
              name="passkeyName"
              type="text"
              maxLength={60}
              defaultValue={t('firstAccess.passkeyDefaultName')}
              aria-describedby={describedBy}
            />
          )}
        </Field>
      </PasskeyForm>
    </div>
  );
}
