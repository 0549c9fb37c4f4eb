import type { LoaderFunctionArgs } from '@remix-run/node';
import { json, requireAppToken } from '../api/guard.server.ts';
import { allowMethods, parseQuery } from '../api/request.server.ts';
import { apiLocale, inLanguage, problem } from '../api/problem.server.ts';
import { NoticeListQuery } from '../api/api.schema.ts';
import { openNotice } from '../notices/notice.service.server.ts';

/** A notice; the first GET records the first opening, like the portal's detail page. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  allowMethods(request, ['GET']);
  const access = await requireAppToken(request, context);
  const query = parseQuery(request, NoticeListQuery.pick({ lang: true }));
  const notice = await openNotice(context.db, {
    residentId: access.residentId,
    noticeId: params.noticeId ?? '',
    locale: query.lang ?? apiLocale(request),
  });
  if (!notice) throw problem(request, 'not_found');
  return inLanguage(
    json({
      id: notice.id,
      kind: notice.kind,
      sender: notice.sender,
      lang: notice.lang,
      title: notice.title,
      body_markdown: notice.body,
      published_at: notice.publishAt.toISOString(),
    }),
    notice.lang,
  );
}

export function action({ request }: LoaderFunctionArgs) {
  allowMethods(request, ['GET']);
  return null;
}
