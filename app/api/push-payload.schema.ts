import { z } from 'zod';

/**
 * What a device receives when a new notice reaches the resident, per channel, as documented in
 * /api/v1/openapi.json (components.schemas). These schemas describe; the senders in
 * app/push/channels build the payloads, and app/api/push-payload.test.ts checks what they send
 * against these schemas.
 */
const Lang = z
  .enum(['ja', 'en'])
  .describe(
    'Language of title and body: the registration’s `locale` if the notice exists in it, else the other',
  );
const Title = z
  .string()
  .describe('Fixed text in `lang`: 新しいお知らせがあります / You have a new notice');
const Body = z.string().max(200).describe('The notice’s title in `lang`, cut to 200 characters');
const NoticeId = z.uuid().describe('Fetch it with GET /api/v1/notices/{noticeId}');
const Url = z
  .string()
  .regex(/^\/(ja|en)\/notices\/[0-9a-f-]{36}$/)
  .describe(
    'Portal path of the notice, relative to the server origin; open it signed in with POST /api/v1/sso {"path": url}',
  );

export const WebPushPayload = z
  .object({
    v: z.literal(1).describe('Payload version'),
    type: z.literal('notice'),
    noticeId: NoticeId,
    lang: Lang,
    title: Title,
    body: Body,
    url: Url,
  })
  .strict()
  .meta({
    id: 'WebPushPayload',
    description:
      'The JSON text of a Web Push message after decryption (RFC 8291 aes128gcm), at most 4 KB.',
  });

export const FcmMessage = z
  .object({
    message: z
      .object({
        token: z.string().describe('The registration’s FCM token'),
        notification: z.object({ title: Title, body: Body }).strict(),
        data: z
          .object({ type: z.literal('notice'), noticeId: NoticeId, url: Url, lang: Lang })
          .strict()
          .describe('All values are strings (FCM data)'),
        android: z
          .object({
            ttl: z.string().regex(/^[0-9]+s$/),
            collapse_key: z.literal('new-notice'),
            priority: z.enum(['high', 'normal']),
          })
          .strict(),
      })
      .strict(),
  })
  .meta({
    id: 'FcmMessage',
    description:
      'The FCM HTTP v1 request (messages:send) Madoguchi makes for a registration; the app receives `notification` and `data`.',
  });

export const ApnsPayload = z
  .object({
    aps: z
      .object({
        alert: z.object({ title: Title, body: Body }).strict(),
        'thread-id': z.literal('new-notice'),
      })
      .strict(),
    type: z.literal('notice'),
    noticeId: NoticeId,
    url: Url,
    lang: Lang,
  })
  .strict()
  .meta({
    id: 'ApnsPayload',
    description:
      'The APNs payload (apns-push-type alert, apns-topic = the app’s bundle id); custom keys beside `aps`.',
  });

const CredentialEvent = {
  type: z
    .literal('credential_revoked')
    .describe(
      'The resident’s credentials on this app were revoked (lost phone, a new card, a changed record, a register end): drop them',
    ),
  credential_configuration_ids: z
    .array(z.string())
    .min(1)
    .describe('The credential_configuration_id of each revoked kind (OpenID4VCI issuer metadata)'),
  reissue_available: z
    .boolean()
    .describe(
      'true: ask the credential endpoint for a new one now (a new card or a changed record); false: do not (the notice says what to do)',
    ),
};

export const CredentialRevokedWebPushPayload = z
  .object({
    v: z.literal(1).describe('Payload version'),
    ...CredentialEvent,
    noticeId: NoticeId.describe('The notice the revocation sent the resident'),
    lang: z.enum(['ja', 'en']).describe('The registration’s `locale`'),
    title: z.string().describe('Fixed text in `lang`'),
    body: z.string().describe('Fixed text in `lang`: whether to get a new credential'),
    url: Url,
  })
  .strict()
  .meta({
    id: 'CredentialRevokedWebPushPayload',
    description:
      'The JSON text of the Web Push a linked app’s registration receives once when the resident’s credentials are revoked (Topic credential-revoked, Urgency high). APNs: the same keys beside `aps` (apns-collapse-id credential-revoked). FCM: `data` {type, credential_configuration_ids (space-separated), reissue_available ("true"/"false"), noticeId, url, lang}, android.collapse_key credential-revoked. Never personal data.',
  });

/** The delivery options every channel maps to its own headers or fields. */
export const pushDelivery = `A push is sent for each notice that reaches the resident while a registration is live (a broadcast's pushes are spread over the installation's delivery window, PUSH_WINDOW_HOURS, and held during its quiet hours, PUSH_QUIET_HOURS, default 21:00 to 08:00 Japan time; a notice addressed to the resident is pushed at once). It carries only the notice's title, never its body. Language: the registration's \`locale\` (default ja) if the notice has a title in it, otherwise the other language; \`lang\` says which. URL: \`url\` is the notice's portal path (/{lang}/notices/{noticeId}); read the notice with GET /api/v1/notices/{noticeId} or open the portal page with POST /api/v1/sso.

Delivery options, the same on every channel:
- Topic "new-notice" (Web Push \`Topic\`, FCM \`android.collapse_key\`, APNs \`apns-collapse-id\` and \`thread-id\`): every push shares it, so a push service holding undelivered pushes for an offline device keeps only the newest. After a push, fetch GET /api/v1/notices?unread=true rather than counting pushes.
- Urgency (Web Push \`Urgency\`, FCM \`android.priority\`, APNs \`apns-priority\`): \`high\` / high / 10 for a notice addressed to this resident (targeted), \`normal\` / normal / 5 for a broadcast.
- Lifetime (Web Push \`TTL\`, FCM \`android.ttl\`, APNs \`apns-expiration\`): PUSH_TTL_SECONDS of the installation (default 86400 s); an undelivered push older than that is dropped.

Payloads: Web Push — WebPushPayload (encrypted aes128gcm with the subscription's p256dh/auth keys, VAPID-signed; subscribe with the installation's VAPID public key, \`web_push_public_key\` of GET /api/v1); FCM — FcmMessage; APNs — ApnsPayload. Credential revocations: a registration made by a linked app (not a browser subscribed on the portal) receives one push of type \`credential_revoked\` per revocation — CredentialRevokedWebPushPayload — instead of the push of the notice the revocation publishes (it names that notice: show it as the notification), so the app can drop the revoked credentials and, when \`reissue_available\`, ask for new ones; every other notice is pushed to apps and browsers alike. A registration whose push service says it is gone (Web Push 404/410, FCM UNREGISTERED, APNs 410 Unregistered) is deactivated: register again on every launch (the same token keeps its registration).`;
