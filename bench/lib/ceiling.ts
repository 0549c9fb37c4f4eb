/**
 * The "ceiling" for bench:notices: a bare node:http server on the app's own postgres.js pool
 * (db/connection.ts, same pool size) that runs exactly the statements the resident notice
 * pages run, in the same order, and answers JSON instead of a server-rendered page:
 *
 *   GET /notices[?after=cursor]  readSession → inboxWithUnread (→ findInboxPageWithUnread: the
 *                                page, the municipality and the stored unread count in one
 *                                statement; countUnread only when the stored count is stale)
 *   GET /notices/<id>            readSession → openNotice (→ openVisibleNotice: find and record
 *                                the first opening in one statement)
 *   GET /inbox-page[?after=…]    readSession → listInbox only: a diagnostic, the page query
 *                                alone (with its municipality lookup)
 *
 * The SQL is imported, not copied, so the difference to the app is everything that is not
 * SQL: Express, security middleware, Remix routing and loaders, React rendering, i18n.
 * Run as a child process: CEILING_DATABASE_URL, CEILING_PORT, DB_POOL_MAX (default 10).
 */
import { createServer } from 'node:http';
import { connect } from '../../db/connection.ts';
import { readSession, SESSION_COOKIE } from '../../app/identity/session.server.ts';
import { inboxWithUnread, listInbox, openNotice } from '../../app/notices/notice.service.server.ts';
import { decodeCursor } from '../../app/notices/notice.ts';

const url = process.env.CEILING_DATABASE_URL;
const port = Number(process.env.CEILING_PORT ?? 0);
if (!url) throw new Error('CEILING_DATABASE_URL is required');

const { db, close } = connect(url, {
  max: Number(process.env.DB_POOL_MAX ?? 10),
  applicationName: 'madoguchi-ceiling',
});

function sessionToken(cookie: string | undefined): string | undefined {
  for (const part of (cookie ?? '').split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === SESSION_COOKIE) return rest.join('=') || undefined;
  }
  return undefined;
}

const server = createServer((req, res) => {
  const send = (status: number, body: unknown) => {
    const text = JSON.stringify(body);
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(text),
    });
    res.end(text);
  };
  const handle = async () => {
    const target = new URL(req.url ?? '/', 'http://ceiling');
    if (target.pathname === '/healthz') return send(200, { ok: true });
    const session = await readSession(db, sessionToken(req.headers.cookie));
    if (!session || session.kind !== 'resident' || !session.residentId)
      return send(401, { error: 'no session' });
    const residentId = session.residentId;
    const input = {
      residentId,
      locale: 'ja' as const,
      unreadOnly: false,
      sender: null,
      search: null,
      cursor: decodeCursor(target.searchParams.get('after')),
    };
    if (target.pathname === '/notices') {
      const inbox = await inboxWithUnread(db, input);
      return send(200, {
        unread: inbox.unread,
        unreadAtLeast: inbox.unreadAtLeast,
        items: inbox.items,
        next: inbox.next,
      });
    }
    if (target.pathname === '/inbox-page') {
      const inbox = await listInbox(db, input);
      return send(200, { items: inbox.items, next: inbox.next });
    }
    const detail = /^\/notices\/([^/]+)$/.exec(target.pathname);
    if (detail) {
      const notice = await openNotice(db, {
        residentId,
        noticeId: decodeURIComponent(detail[1] ?? ''),
        locale: 'ja',
      });
      return notice ? send(200, notice) : send(404, { error: 'not found' });
    }
    return send(404, { error: 'not found' });
  };
  handle().catch((error: unknown) => {
    console.error(error);
    if (!res.headersSent) send(500, { error: 'internal' });
    else res.destroy();
  });
});
server.keepAliveTimeout = 65_000;
server.listen(port, '127.0.0.1', () => {
  const address = server.address();
  console.log(
    `ceiling listening on ${typeof address === 'object' && address ? address.port : port}`,
  );
});

for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.on(signal, () => {
    server.close();
    server.closeAllConnections();
    void close().then(() => process.exit(0));
  });
