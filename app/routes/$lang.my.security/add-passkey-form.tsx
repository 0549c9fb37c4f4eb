import { useLoaderData } from '@remix-run/react';
import { useTranslation } from '../../i18n/react.tsx';
import { PasskeyForm } from '../../ui/passkey.tsx';
import type { loader } from './route.tsx';

/** Registers one more passkey against the challenge the loader began. */
export function AddPasskeyForm() {
  const { t } = useTranslation('identity');
  const { registration } = useLoaderData<typeof loader>();
  return (
    <>
      <h2>{t('security.add')}</h2>
      <p>{t('security.addLead')}</p>
      <PasskeyForm
        mode="register"
        options={registration.options}
        challengeId={registration.challengeId}
        intent="add"
        buttonLabel={t('security.addButton')}
      >
        <div className="field">
          <label htmlFor="new-passkey-name" className="field__label">
            {t('firstAccess.passkeyName')}
          </label>
          <p className="field__hint" id="new-passkey-name-hint">
            {t('firstAccess.passkeyNameHint')}
          </p>
          <input
            id="new-passkey-name"
            name="passkeyName"
            type="text"
            maxLength={60}
            defaultValue={t('firstAccess.passkeyDefaultName')}
            aria-describedby="new-passkey-name-hint"
          />
        </div>
      </PasskeyForm>
    </>
  );
}
