import type { LoaderFunctionArgs } from '@remix-run/node';
import { jsonWithEtag, requireAppToken } from '../api/guard.server.ts';
import { allowMethods, parseQuery } from '../api/request.server.ts';
import { apiLocale, inLanguage, problem } from '../api/problem.server.ts';
import { NoticeListQuery, PAGE_LIMIT } from '../api/api.schema.ts';
import { noticeSummaryView } from '../api/views.server.ts';
import { inboxWithUnread } from '../notices/notice.service.server.ts';
import { decodeCursor } from '../notices/notice.ts';

export async function loader({ request, context }: LoaderFunctionArgs) {
  allowMethods(request, ['GET']);
  const access = await requireAppToken(request, context);
  const query = parseQuery(request, NoticeListQuery);
  const cursor = query.cursor ? decodeCursor(query.cursor) : null;
  if (query.cursor && !cursor)
    throw problem(request, 'validation', {
      errors: [{ field: 'cursor', message: 'not a cursor this API issued' }],
    });
  const locale = query.lang ?? apiLocale(request);
  const inbox = await inboxWithUnread(context.db, {
    residentId: access.residentId,
    locale,
    unreadOnly: query.unread === 'true',
    sender: null,
    search: null,
    cursor,
    limit: query.limit ?? PAGE_LIMIT.default,
  });
  return inLanguage(
    await jsonWithEtag(request, {
      items: inbox.items.map(noticeSummaryView),
      next_cursor: inbox.next,
      unread_count: inbox.unread,
    }),
    locale,
  );
}

export function action({ request }: LoaderFunctionArgs) {
  allowMethods(request, ['GET']);
  return null;
}
