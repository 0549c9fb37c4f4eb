import { useEffect, useRef, useState, type ReactNode } from 'react';
import { Form, useNavigation, useSubmit } from '@remix-run/react';
import { useTranslation } from '../i18n/react.tsx';
import {
  browserSupportsWebAuthn,
  browserSupportsWebAuthnAutofill,
  startAuthentication,
  startRegistration,
  WebAuthnAbortService,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
} from '@simplewebauthn/browser';

type Common = {
  challengeId: string;
  intent: string;
  buttonLabel: string;
  /** Extra hidden fields the action needs (a redirect target, a letter token…). */
  hidden?: Record<string, string>;
  children?: ReactNode;
};

// Options arrive as loader JSON (serialized types); the server built them with the same library.
type Props =
  | (Common & { mode: 'register'; options: object })
  | (Common & { mode: 'authenticate'; options: object; autofill?: boolean });

/**
 * Runs a WebAuthn ceremony in the browser and posts its answer to the route's action.
 * The server verifies everything; this only carries the browser's response. Without
 * JavaScript the button posts nothing and the server explains that passkeys need it.
 */
export function PasskeyForm(props: Props) {
  const { t } = useTranslation();
  const submit = useSubmit();
  const navigation = useNavigation();
  const formRef = useRef<HTMLFormElement>(null);
  const [problem, setProblem] = useState<string | null>(null);
  // Server and first render assume support; the effect corrects it after hydration.
  const [supported, setSupported] = useState(true);
  const [autofill, setAutofill] = useState(false);
  // The button works only once the page is hydrated: a tap before that would post the form
  // without a passkey (a slow phone), or make React hydrate the page synchronously in the
  // middle of its own hydration to replay the click.
  const [hydrated, setHydrated] = useState(false);
  const busy = navigation.state !== 'idle';

  const send = (response: unknown) => {
    const data = new FormData(formRef.current ?? undefined);
    data.set('response', JSON.stringify(response));
    submit(data, { method: 'post' });
  };

  // Conditional UI: offer passkeys in the browser's autofill list while the page is open.
  useEffect(() => {
    // eslint-disable-next-line react-hooks/set-state-in-effect -- browser capability is only knowable after hydration
    setSupported(browserSupportsWebAuthn());
    setHydrated(true);
    if (props.mode !== 'authenticate' || !props.autofill) return;
    let cancelled = false;
    void browserSupportsWebAuthnAutofill().then(async (available) => {
      if (!available || cancelled) return;
      setAutofill(true);
      try {
        const response = await startAuthentication({
          optionsJSON: props.options as PublicKeyCredentialRequestOptionsJSON,
          useBrowserAutofill: true,
        });
        if (!cancelled) send(response);
      } catch {
        // Cancelled or superseded by the button: nothing to say.
      }
    });
    return () => {
      cancelled = true;
      WebAuthnAbortService.cancelCeremony();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [props.challengeId, props.mode === 'authenticate' && props.autofill]);

  const run = async (event: React.MouseEvent) => {
    event.preventDefault();
    setProblem(null);
    try {
      const response =
        props.mode === 'register'
          ? await startRegistration({
              optionsJSON: props.options as PublicKeyCredentialCreationOptionsJSON,
            })
          : await startAuthentication({
              optionsJSON: props.options as PublicKeyCredentialRequestOptionsJSON,
            });
      send(response);
    } catch (error) {
      const name = error instanceof Error ? error.name : '';
      const code = (error as { code?: string } | null)?.code;
      const duplicate =
        name === 'InvalidStateError' || code === 'ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED';
      const cancelled = name === 'NotAllowedError' || name === 'AbortError';
      setProblem(
        t(
          duplicate
            ? 'passkey.alreadyOnDevice'
            : cancelled
              ? 'passkey.cancelled'
              : 'passkey.failed',
        ),
      );
    }
  };

  return (
    <Form method="post" ref={formRef} className="form passkey-form">
      <input type="hidden" name="intent" value={props.intent} />
      <input type="hidden" name="challengeId" value={props.challengeId} />
      {Object.entries(props.hidden ?? {}).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      {props.children}
      {props.mode === 'authenticate' && autofill ? (
        <div className="field">
          <label htmlFor="passkey-autofill" className="field__label">
            {t('passkey.autofillLabel')}
          </label>
          <p className="field__hint" id="passkey-autofill-hint">
            {t('passkey.autofillHint')}
          </p>
          <input
            id="passkey-autofill"
            type="text"
            name="username"
            autoComplete="username webauthn"
            aria-describedby="passkey-autofill-hint"
          />
        </div>
      ) : null}
      <noscript>
        <p className="notice notice--warning">{t('passkey.needsJavaScript')}</p>
      </noscript>
      {!supported ? <p className="notice notice--warning">{t('passkey.unsupported')}</p> : null}
      {problem ? (
        <p className="field__error" role="alert">
          {problem}
        </p>
      ) : null}
      <div className="button-row">
        <button
          type="submit"
          className="button button--primary"
          onClick={run}
          disabled={busy || !hydrated}
          aria-disabled={busy || !hydrated}
        >
          {props.buttonLabel}
        </button>
      </div>
    </Form>
  );
}
