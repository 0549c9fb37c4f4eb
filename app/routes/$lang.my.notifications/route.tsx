import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { useTranslation } from '../../i18n/react.tsx';
import type { RouteHandle } from '../../ui/title.ts';
import { Notice } from '../../ui/form.tsx';
import { requireResidentAccess } from '../../identity/guards.server.ts';
import { formatDateTime } from '../../i18n/dates.ts';
import { isLocale } from '../../i18n/locales.ts';
import {
  findLiveRegistration,
  liveRegistrationsOf,
  registerPush,
  TooManyDevices,
  unregisterPush,
} from '../../api/push-registration.server.ts';
import { WebPushSubscription } from '../../push/subscription.schema.server.ts';
import { portalVapidKey } from '../../push/vapid.server.ts';
import { BrowserPush } from './browser-push.tsx';

export const handle: RouteHandle = { title: 'push:settings.title', i18n: ['push'] };

/** The resident's push settings: this browser on or off, and every device that gets pushes. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const access = await requireResidentAccess(request, context, null);
  if (access.viaProxy) throw new Response('Forbidden', { status: 403 });
  const locale = isLocale(params.lang) ? params.lang : 'ja';
  const devices = await liveRegistrationsOf(context.db, access.residentId);
  return {
    vapidKey: portalVapidKey(context),
    devices: devices.map((d) => ({
      id: d.id,
      kind: d.channel === 'webpush' ? (d.linkId ? 'app' : 'browser') : 'app',
      added: formatDateTime(d.createdAt, locale),
    })),
    // Only the browser's own endpoints, to tell whether this browser is subscribed.
    endpoints: devices.filter((d) => d.channel === 'webpush' && !d.linkId).map((d) => d.token),
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const access = await requireResidentAccess(request, context, null);
  if (access.viaProxy) throw new Response('Forbidden', { status: 403 });
  const form = Object.fromEntries(await request.formData());
  if (form.intent === 'subscribe') {
    const parsed = WebPushSubscription.safeParse(form);
    if (!parsed.success)
      return data({ error: 'subscription' as const, done: null }, { status: 400 });
    const { endpoint, p256dh, auth } = parsed.data;
    const stored = await registerPush(
      context.db,
      {
        residentId: access.residentId,
        linkId: null,
        body: {
          channel: 'webpush',
          endpoint,
          keys: { p256dh, auth },
          locale: params.lang === 'en' ? 'en' : 'ja',
        },
      },
      access.actor,
    ).catch((error: unknown) => {
      if (error instanceof TooManyDevices) return null;
      throw error;
    });
    if (!stored) return data({ error: 'tooMany' as const, done: null }, { status: 400 });
    return { error: null, done: 'subscribed' as const };
  }
  if (form.intent === 'unsubscribe' || form.intent === 'remove') {
    const mine = await findLiveRegistration(
      context.db,
      access.residentId,
      form.intent === 'remove'
        ? { id: String(form.id ?? '') }
        : { endpoint: String(form.endpoint ?? '') },
    );
    // Stopping twice is harmless: the second finds nothing and records nothing.
    if (mine) await unregisterPush(context.db, access.residentId, mine.id, access.actor);
    return { error: null, done: 'removed' as const };
  }
  throw new Response('Bad Request', { status: 400 });
}

export default function PushSettings() {
  const { t } = useTranslation('push');
  const { vapidKey, devices, endpoints } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <div className="page">
      <h1>{t('settings.title')}</h1>
      {result?.done ? (
        // The removed device's button is gone: continue at the result.
        <Notice focusKey={result}>{t(`settings.done.${result.done}`)}</Notice>
      ) : null}
      {result?.error ? (
        <div className="notice notice--warning" role="alert">
          {t(`settings.errors.${result.error}`)}
        </div>
      ) : null}
      <p>{t('settings.lead')}</p>

      <section aria-labelledby="browser-heading">
        <h2 id="browser-heading">{t('settings.browser.heading')}</h2>
        <noscript>
          <p>{t('settings.browser.noScript')}</p>
        </noscript>
        <BrowserPush vapidKey={vapidKey} endpoints={endpoints} />
      </section>

      <section aria-labelledby="devices-heading">
        <h2 id="devices-heading">{t('settings.devices.heading')}</h2>
        {devices.length === 0 ? (
          <p>{t('settings.devices.none')}</p>
        ) : (
          <ul className="card-list">
            {devices.map((device) => (
              <li key={device.id} className="card">
                <p>
                  <strong>{t(`settings.devices.kind.${device.kind}`)}</strong>
                  {' · '}
                  {t('settings.devices.added', { at: device.added })}
                </p>
                <Form method="post">
                  <input type="hidden" name="id" value={device.id} />
                  <button
                    type="submit"
                    name="intent"
                    value="remove"
                    className="button button--secondary"
                    aria-label={t('settings.devices.removeLabel', {
                      kind: t(`settings.devices.kind.${device.kind}`),
                      at: device.added,
                    })}
                  >
                    {t('settings.devices.remove')}
                  </button>
                </Form>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
