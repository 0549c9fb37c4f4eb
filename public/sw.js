/* Madoguchi service worker: shows a push about a new notice and opens it when tapped. */
/* global self, URL */
'use strict';

self.addEventListener('push', (event) => {
  let data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch {
    data = {};
  }
  const lang = data.lang === 'en' ? 'en' : 'ja';
  const title =
    data.title || (lang === 'en' ? 'You have a new notice' : '新しいお知らせがあります');
  event.waitUntil(
    self.registration.showNotification(title, {
      body: data.body || '',
      lang,
      // One notification per kind: a newer push replaces an unread older one.
      tag: 'new-notice',
      renotify: true,
      icon: '/favicon.ico',
      data: {
        url:
          typeof data.url === 'string' && data.url.startsWith('/') ? data.url : `/${lang}/notices`,
      },
    }),
  );
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const target = new URL(event.notification.data?.url || '/', self.location.origin);
  if (target.origin !== self.location.origin) return;
  event.waitUntil(
    self.clients.matchAll({ type: 'window', includeUncontrolled: true }).then((windows) => {
      for (const client of windows) {
        if (client.url === target.href && 'focus' in client) return client.focus();
      }
      return self.clients.openWindow(target.href);
    }),
  );
});
