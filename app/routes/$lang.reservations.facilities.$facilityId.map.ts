import { facilityIdParam } from '../reservations/facility.schema.ts';
import type { LoaderFunctionArgs } from '@remix-run/node';
import { facilityMap } from '../reservations/facility.service.server.ts';

/**
 * A facility's map image, public (residents see it on the booking site). Served from our own
 * origin with the type its bytes were sniffed as when uploaded, never guessed by the browser.
 */
export async function loader({ params, context }: LoaderFunctionArgs) {
  const id = facilityIdParam(params.facilityId);
  const map = await facilityMap(context.db, context.env.MADOGUCHI_CITY_CODE, id);
  if (!map) throw new Response('Not found', { status: 404 });
  return new Response(new Uint8Array(map.bytes), {
    headers: {
      'content-type': map.contentType,
      'cache-control': 'public, max-age=300',
      'last-modified': map.updatedAt.toUTCString(),
      'x-content-type-options': 'nosniff',
      'content-security-policy': "default-src 'none'",
    },
  });
}
