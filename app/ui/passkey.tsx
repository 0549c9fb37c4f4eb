import { useEffect, useRef, useState, type ReactNode } from 'react';
import { Form, useNavigation, useSubmit } from '@remix-run/react';
import { useTranslation } from '../i18n/react.tsx';
import type * as WebAuthnBrowser from '@simplewebauthn/browser';
import type {
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
} from '@simplewebauthn/browser';

// The WebAuthn library (~3.7 KB gz) is loaded when a ceremony is near, not with the page
// (decision 0070, addendum 2): pointer or focus on the button starts the download, the click
// waits for it, and conditional UI loads it only where the browser offers passkey autofill.
type WebAuthnLibrary = typeof WebAuthnBrowser;
let library: Promise<WebAuthnLibrary> | undefined;
function loadWebAuthn(): Promise<WebAuthnLibrary> {
  // A failed download (a phone losing its signal) is tried again on the next press.
  library ??= import('@simplewebauthn/browser').catch((error: unknown) => {
    library = undefined;
    throw error;
  });
  return library;
}

/** What `browserSupportsWebAuthn()` checks, without loading the library for it. */
function supportsWebAuthn(): boolean {
  return typeof window !== 'undefined' && typeof window.PublicKeyCredential === 'function';
}

/** What `browserSupportsWebAuthnAutofill()` checks, without loading the library for it. */
async function supportsAutofill(): Promise<boolean> {
  if (!supportsWebAuthn()) return false;
  const check = (
    window.PublicKeyCredential as { isConditionalMediationAvailable?: () => Promise<boolean> }
  ).isConditionalMediationAvailable;
  return check ? check.call(window.PublicKeyCredential) : false;
}

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
    setSupported(supportsWebAuthn());
    setHydrated(true);
    if (props.mode !== 'authenticate' || !props.autofill) return;
    let cancelled = false;
    void supportsAutofill().then(async (available) => {
      if (!available || cancelled) return;
      setAutofill(true);
      try {
        const { startAuthentication } = await loadWebAuthn();
        if (cancelled) return;
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
      // Only a loaded library can have a ceremony to cancel.
      void library?.then(({ WebAuthnAbortService }) => WebAuthnAbortService.cancelCeremony());
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [props.challengeId, props.mode === 'authenticate' && props.autofill]);

  const preload = () => void loadWebAuthn();

  const run = async (event: React.MouseEvent) => {
    event.preventDefault();
    setProblem(null);
    try {
      const { startAuthentication, startRegistration } = await loadWebAuthn();
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
          onPointerDown={preload}
          onFocus={preload}
          disabled={busy || !hydrated}
          aria-disabled={busy || !hydrated}
        >
          {props.buttonLabel}
        </button>
      </div>
    </Form>
  );
}
