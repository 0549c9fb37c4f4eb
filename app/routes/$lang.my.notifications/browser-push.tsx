import { useEffect, useState } from 'react';
import { useFocusOnChange } from '../../ui/focus.ts';
import { useFetcher } from '@remix-run/react';
import { useTranslation } from '../../i18n/react.tsx';

type State = 'loading' | 'unsupported' | 'denied' | 'off' | 'on' | 'working' | 'failed';

function keyBytes(base64url: string): ArrayBuffer {
  const text = atob(base64url.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(text, (c) => c.charCodeAt(0)).buffer;
}

/** Where this browser stands: able to get pushes at all, allowed to, and subscribed here. */
async function detect(endpoints: string[]): Promise<State> {
  if (!('serviceWorker' in navigator) || !('PushManager' in window) || !('Notification' in window))
    return 'unsupported';
  if (Notification.permission === 'denied') return 'denied';
  try {
    const registration = await navigator.serviceWorker.getRegistration('/');
    const subscription = await registration?.pushManager.getSubscription();
    return subscription && endpoints.includes(subscription.endpoint) ? 'on' : 'off';
  } catch {
    return 'off';
  }
}

/**
 * Turns pushes on or off in this browser: registers the service worker (/sw.js), asks for
 * permission, subscribes with the server's VAPID key and posts the subscription. Needs
 * JavaScript; the page says so to readers without it.
 */
export function BrowserPush({ vapidKey, endpoints }: { vapidKey: string; endpoints: string[] }) {
  const { t } = useTranslation('push');
  const fetcher = useFetcher<{ error: string | null; done: string | null }>();
  const [state, setState] = useState<State>('loading');
  // Each press replaces the button that was pressed: focus goes to the status, which then
  // says (politely) how it ended.
  const [pressed, setPressed] = useState<number | null>(null);
  const status = useFocusOnChange<HTMLParagraphElement>(pressed);

  useEffect(() => {
    void detect(endpoints).then(setState);
  }, [endpoints]);

  async function turnOn() {
    setPressed((n) => (n ?? 0) + 1);
    setState('working');
    try {
      const registration = await navigator.serviceWorker.register('/sw.js', { scope: '/' });
      if ((await Notification.requestPermission()) !== 'granted') return setState('denied');
      const subscription = await registration.pushManager.subscribe({
        userVisibleOnly: true,
        applicationServerKey: keyBytes(vapidKey),
      });
      const json = subscription.toJSON();
      fetcher.submit(
        {
          intent: 'subscribe',
          endpoint: json.endpoint ?? '',
          p256dh: json.keys?.p256dh ?? '',
          auth: json.keys?.auth ?? '',
        },
        { method: 'post' },
      );
      setState('on');
    } catch {
      setState('failed');
    }
  }

  async function turnOff() {
    setPressed((n) => (n ?? 0) + 1);
    setState('working');
    const registration = await navigator.serviceWorker.getRegistration('/');
    const subscription = await registration?.pushManager.getSubscription();
    if (subscription) {
      fetcher.submit(
        { intent: 'unsubscribe', endpoint: subscription.endpoint },
        { method: 'post' },
      );
      await subscription.unsubscribe().catch(() => {});
    }
    setState('off');
  }

  // What the page says follows the server: "on" only once it stored the subscription.
  const shown: State =
    fetcher.state !== 'idle' ? 'working' : fetcher.data?.error ? 'failed' : state;
  if (shown === 'loading') return null;
  return (
    <div>
      <p role="status" tabIndex={-1} ref={status}>
        {t(`settings.browser.${shown}`)}
      </p>
      {shown === 'off' || shown === 'failed' ? (
        <button type="button" className="button button--primary" onClick={turnOn}>
          {t('settings.browser.turnOn')}
        </button>
      ) : null}
      {shown === 'on' ? (
        <button type="button" className="button button--secondary" onClick={turnOff}>
          {t('settings.browser.turnOff')}
        </button>
      ) : null}
    </div>
  );
}
