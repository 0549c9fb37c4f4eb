import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { allowMethods } from '../api/request.server.ts';
import { referencePath } from '../api/openapi.server.ts';
import { portalVapidKey } from '../push/vapid.server.ts';

/**
 * GET /api/v1: where a developer (or a tool) starts. Points at the machine-readable document
 * and the human-readable reference, in the body and as RFC 8631 Link relations.
 */
export function loader({ request, context }: LoaderFunctionArgs) {
  allowMethods(request, ['GET']);
  const origin = context.env.publicOrigin;
  return Response.json(
    {
      openapi: `${origin}/api/v1/openapi.json`,
      documentation: {
        ja: `${origin}${referencePath('ja')}`,
        en: `${origin}${referencePath('en')}`,
      },
      // Web Push subscriptions (channel "webpush") are made with this key (applicationServerKey).
      web_push_public_key: portalVapidKey(context),
    },
    {
      headers: {
        'Cache-Control': 'public, max-age=300',
        'Content-Language': 'en',
        Link: [
          '</api/v1/openapi.json>; rel="service-desc"; type="application/openapi+json"',
          `<${referencePath('ja')}>; rel="service-doc"; type="text/html"; hreflang="ja"`,
          `<${referencePath('en')}>; rel="service-doc"; type="text/html"; hreflang="en"`,
        ].join(', '),
      },
    },
  );
}

export function action({ request }: ActionFunctionArgs) {
  allowMethods(request, ['GET']);
  return null;
}
