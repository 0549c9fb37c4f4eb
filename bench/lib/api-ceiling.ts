/**
 * The "ceiling" for bench:api: a bare node:http server on the app's own postgres.js pool
 * (db/connection.ts, same pool size) that calls the same functions the /api/v1 routes call, in
 * the same order, so it sends exactly their SQL, and answers JSON:
 *
 *   POST /token            findClient → refreshLink (rotation + audit entry), grant_type=refresh_token
 *   GET  /notices          checkAccessToken → inboxWithUnread
 *   GET  /notices/<id>     checkAccessToken → openNotice
 *
 * The difference to the app is everything that is not SQL or token work: Express, security
 * middleware, Remix routing, zod parsing of the request, problem+json, the ETag digest.
 * Run as a child process: CEILING_DATABASE_URL, CEILING_PORT, DB_POOL_MAX (default 10), and
 * MADOGUCHI_SECRET (the same root secret as the app, for the access-token MAC and PPIDs).
 */
import { createServer, type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { connect } from '../../db/connection.ts';
import { loadSecrets } from '../../app/platform/secrets.server.ts';
import { bearerToken, checkAccessToken } from '../../app/api/guard.server.ts';
import { findClient } from '../../app/api/client.service.server.ts';
import { refreshLink } from '../../app/api/refresh.service.server.ts';
import { ppid } from '../../app/api/ppid.server.ts';
import { inboxWithUnread, openNotice } from '../../app/notices/notice.service.server.ts';
import { noticeSummaryView } from '../../app/api/views.server.ts';

const url = process.env.CEILING_DATABASE_URL;
const port = Number(process.env.CEILING_PORT ?? 0);
if (!url) throw new Error('CEILING_DATABASE_URL is required');
if (!process.env.MADOGUCHI_SECRET) throw new Error('MADOGUCHI_SECRET is required');
const secrets = loadSecrets(tmpdir(), process.env.MADOGUCHI_SECRET);

const { db, close } = connect(url, {
  max: Number(process.env.DB_POOL_MAX ?? 10),
  applicationName: 'madoguchi-api-ceiling',
});

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
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
    if (target.pathname === '/token' && req.method === 'POST') {
      const form = new URLSearchParams(await readBody(req));
      const client = await findClient(db, form.get('client_id') ?? '');
      if (!client) return send(401, { error: 'invalid_client' });
      const result = await refreshLink(db, {
        clientId: client.id,
        refreshToken: form.get('refresh_token') ?? '',
        ip: '127.0.0.1',
      });
      if (result.outcome !== 'ok') return send(400, { error: result.outcome });
      return send(200, {
        access_token: result.pair.accessToken,
        token_type: 'Bearer',
        expires_in: result.pair.expiresIn,
        refresh_token: result.pair.refreshToken,
        subject: ppid(secrets, client.id, result.link.residentId),
      });
    }
    const check = await checkAccessToken(db, secrets, bearerToken(req.headers.authorization));
    if (!check.ok) return send(401, { error: check.type });
    const residentId = check.access.residentId;
    if (target.pathname === '/notices') {
      const inbox = await inboxWithUnread(db, {
        residentId,
        locale: 'ja',
        unreadOnly: false,
        sender: null,
        search: null,
        cursor: null,
      });
      return send(200, {
        items: inbox.items.map(noticeSummaryView),
        next_cursor: inbox.next,
        unread_count: inbox.unread,
      });
    }
    const detail = /^\/notices\/([^/]+)$/.exec(target.pathname);
    if (detail) {
      const notice = await openNotice(db, {
        residentId,
        noticeId: decodeURIComponent(detail[1] ?? ''),
        locale: 'ja',
      });
      return notice
        ? send(200, {
            id: notice.id,
            kind: notice.kind,
            sender: notice.sender,
            lang: notice.lang,
            title: notice.title,
            body_markdown: notice.body,
            published_at: notice.publishAt.toISOString(),
          })
        : send(404, { error: 'not found' });
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
    `api ceiling listening on ${typeof address === 'object' && address ? address.port : port}`,
  );
});

for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.on(signal, () => {
    server.close();
    server.closeAllConnections();
    // The pool's end can wait on a connection it still counts as reserved: do not hang on it.
    setTimeout(() => process.exit(0), 2_000).unref();
    void close().then(() => process.exit(0));
  });
