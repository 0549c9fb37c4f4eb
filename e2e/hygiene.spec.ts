import { connect as connectSocket, type Socket } from 'node:net';
import { randomUUID } from 'node:crypto';
import { test, expect, type APIRequestContext, type Page } from '@playwright/test';
import {
  appDatabase,
  createLetter,
  createResident,
  enrolResident,
  signInAsNewStaff,
} from './support/app.ts';
import { publishNotice } from '../app/notices/notice.service.server.ts';
import { permissions } from '../app/identity/permissions.ts';

/*
 * Input hygiene and HTTP behaviour of the pages (the API has e2e/api-contract.spec.ts):
 * NUL bytes and control characters in any form field or query parameter never give a 5xx;
 * a refused request body never stalls the connection; personal pages are not stored.
 */

/** NUL, a right-to-left override and other C0 controls, alone and together. */
const BAD = ['a\u0000b', '\u202Eevil\u202C', 'x\u0001\u0008\u001b\u007fy'];
const ALL_BAD = 'a\u0000\u202Eb\u0001c';
/** Every query parameter a page route reads (grep searchParams in app/routes). */
const QUERY_NAMES = [
  'q',
  'resident',
  'page',
  'after',
  'before',
  'cancel',
  'code',
  'confirm',
  'created',
  'sender',
  'show',
  'ticket',
  'to',
  'token',
  'published',
  'status',
  'index',
];

/** Pages anyone may open (signed in or not). */
const PUBLIC_PAGES = [
  '/en/',
  '/ja/',
  '/en/developers/api',
  '/en/leaving?to=https%3A%2F%2Fexample.jp',
  '/en/first-access',
  '/en/sign-in',
  '/en/sso',
  '/en/proxy/accept?token=x',
  '/en/app/authorize?response_type=code&client_id=myna-app&redirect_uri=jp.madoguchi.app%3A%2Fcallback&code_challenge=abc&code_challenge_method=S256&state=s',
];

/** Every page of a signed-in resident: each shows personal data. */
const residentPages = (noticeId: string) => [
  '/en/my',
  '/en/my/app',
  '/en/my/credentials',
  '/en/my/notifications',
  '/en/my/proxies',
  '/en/my/security',
  '/en/notices',
  `/en/notices/${noticeId}`,
  '/ja/notices',
  '/en/todos',
  '/en/insurance',
  '/en/proxy',
];

/** Every staff page. */
const staffPages = (ids: {
  resident: { id: string; name: string };
  noticeId: string;
  letterId: string;
}) => [
  '/en/admin',
  '/en/admin/notices',
  '/en/admin/notices/new',
  `/en/admin/notices/${ids.noticeId}`,
  '/en/admin/residents',
  `/en/admin/residents?q=${encodeURIComponent(ids.resident.name.slice(0, 2))}`,
  `/en/admin/residents/${ids.resident.id}`,
  `/en/admin/residents/${ids.resident.id}/insurance`,
  `/en/admin/letters/${ids.letterId}/print`,
  '/en/admin/todos/new',
  '/en/admin/insurance',
  '/en/admin/delivery',
  '/en/admin/audit',
  '/en/admin/mail',
  `/en/admin/credentials?resident=${ids.resident.id}`,
  '/en/admin/groups',
  '/en/admin/clients',
  '/en/admin/staff',
  '/en/admin/targets',
  '/en/admin/targets?name=x',
  '/en/admin/targets/lookup',
  '/en/admin/reservations',
  '/en/admin/reservations/facilities',
  '/en/admin/reservations/facilities/new',
  '/en/admin/reservations/closed-days',
  '/en/admin/reservations/rules',
  '/en/admin/sign-in',
  '/en/admin/accept?token=x',
];

type Field = {
  name: string;
  tag: string;
  type: string;
  value: string;
  checked: boolean;
  options: string[];
};
type FormInfo = {
  action: string;
  method: string;
  enctype: string;
  fields: Field[];
  submitters: { name: string; value: string }[];
};

async function formsOn(page: Page): Promise<FormInfo[]> {
  return page.evaluate(() =>
    [...document.forms].map((form) => {
      const fields: Field[] = [];
      const submitters: { name: string; value: string }[] = [];
      for (const element of [...form.elements]) {
        const e = element as HTMLInputElement;
        if (!e.name) continue;
        const tag = e.tagName.toLowerCase();
        const type = (e.getAttribute('type') ?? (tag === 'button' ? 'submit' : tag)).toLowerCase();
        if (tag === 'button' || type === 'submit') {
          submitters.push({ name: e.name, value: e.value });
          continue;
        }
        const options =
          tag === 'select'
            ? [...(e as unknown as HTMLSelectElement).options].map((o) => o.value)
            : [];
        fields.push({ name: e.name, tag, type, value: e.value, checked: e.checked, options });
      }
      return {
        action: form.action,
        method: (form.getAttribute('method') ?? 'get').toLowerCase(),
        enctype: form.enctype,
        fields,
        submitters,
      };
    }),
  );
}

/** A value each kind of field accepts, so that the field under test is the only bad one. */
function plausible(field: Field, n: number): string {
  if (field.value && field.type !== 'password') return field.value;
  if (field.type === 'email' || /mail/i.test(field.name)) return `hygiene${n}@example.jp`;
  if (field.type === 'date')
    return new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
  if (field.type === 'datetime-local' || field.type === 'time') return '';
  if (field.type === 'number') return '1';
  if (field.name === 'id') return `hyg${n}-${randomUUID().slice(0, 8)}`;
  if (field.type === 'url' || /url|uri/i.test(field.name)) return 'https://example.jp/cb';
  if (/year/i.test(field.name)) return '1980';
  if (/month|day/i.test(field.name)) return '4';
  // English fields (titleEn, bodyEn, nameEn) hold English, as staff type them.
  if (/En$/.test(field.name)) return `Test ${n}`;
  return `試験 ${n}`;
}

const isUuid = (v: string) =>
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(v);

/**
 * Submissions of one form: each text field alone made bad (the others plausible), then every
 * field bad at once. A hidden id of a record that is not this test's own is replaced by an
 * unknown id, so the sweep cannot change other tests' data.
 */
function submissions(form: FormInfo, ours: Set<string>, extra: Record<string, string>) {
  const out: { label: string; entries: [string, string][] }[] = [];
  const submitters = form.submitters.length > 0 ? form.submitters : [null];
  const textual = (f: Field) =>
    ['text', 'textarea', 'email', 'search', 'tel', 'url', 'password', 'date', 'number'].includes(
      f.type,
    ) ||
    (f.tag === 'textarea' && f.type === 'textarea');
  let n = 0;
  // A checkbox group with nothing ticked (groups of a new staff member): tick the first.
  const ticked = new Set(
    form.fields
      .filter((f) => f.type === 'checkbox')
      .filter((f, _, all) => f.checked || !all.some((g) => g.name === f.name && g.checked))
      .filter((f, i, all) => f.checked || all.findIndex((g) => g.name === f.name) === i),
  );
  const fields = form.fields.filter((f) => extra[f.name] === undefined);
  const extras = Object.entries(extra);
  const base = (f: Field): string | null => {
    if (f.type === 'checkbox') return ticked.has(f) ? f.value : null;
    if (f.type === 'radio') return f.checked ? f.value : null;
    if (f.type === 'file') return null;
    if (f.type === 'hidden' && isUuid(f.value) && !ours.has(f.value)) return randomUUID();
    if (f.tag === 'select') return f.value || f.options.find((o) => o) || '';
    return plausible(f, n);
  };
  for (const submitter of submitters) {
    const tail: [string, string][] = submitter ? [[submitter.name, submitter.value]] : [];
    for (const target of fields.filter(textual)) {
      n++;
      const entries: [string, string][] = [...extras];
      for (const f of fields) {
        const value = f === target ? `${plausible(f, n)}${ALL_BAD}` : base(f);
        if (value !== null) entries.push([f.name, value]);
      }
      out.push({ label: `${target.name} bad`, entries: [...entries, ...tail] });
    }
    for (const bad of BAD) {
      const entries: [string, string][] = [];
      for (const f of form.fields) {
        if (f.type === 'file' || entries.some(([name]) => name === f.name && f.type === 'radio'))
          continue;
        if ((f.type === 'checkbox' || f.type === 'radio') && !f.checked) continue;
        entries.push([f.name, bad]);
      }
      out.push({ label: `all ${JSON.stringify(bad)}`, entries: [...entries, ...tail] });
    }
  }
  return out;
}

async function post(
  request: APIRequestContext,
  form: FormInfo,
  entries: [string, string][],
  file: { name: string; mimeType: string; buffer: Buffer } | null,
) {
  const options = { maxRedirects: 0, failOnStatusCode: false, timeout: 20_000 };
  if (form.enctype === 'multipart/form-data') {
    const data = new FormData();
    for (const [k, v] of entries) data.append(k, v);
    for (const f of form.fields.filter((x) => x.type === 'file'))
      if (file)
        data.append(
          f.name,
          new Blob([new Uint8Array(file.buffer)], { type: file.mimeType }),
          file.name,
        );
    return request.post(form.action, { ...options, multipart: data });
  }
  return request.post(form.action, {
    ...options,
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    data: new URLSearchParams(entries).toString(),
  });
}

/** `.data` URL of a page (single fetch): /en/x → /en/x.data, /en/ → /en/_root.data. */
function dataUrl(url: URL): string {
  const path = url.pathname.endsWith('/') ? `${url.pathname}_root.data` : `${url.pathname}.data`;
  return `${path}${url.search}`;
}

/** Requests every page with bad query strings and posts every form on it; returns the 5xx. */
async function sweep(
  page: Page,
  paths: string[],
  ours: Set<string>,
  extra: Record<string, string>,
  file: { name: string; mimeType: string; buffer: Buffer } | null,
  skipAction: RegExp,
): Promise<string[]> {
  const failures: string[] = [];
  const request = page.request;
  const check = async (label: string, status: number) => {
    if (status >= 500) failures.push(`${status} ${label}`);
  };
  for (const path of paths) {
    const url = new URL(path, page.url());
    // Query strings: each name alone with every control character at once, then all names.
    const queries: URLSearchParams[] = QUERY_NAMES.map(
      (name) => new URLSearchParams([...url.searchParams, [name, ALL_BAD]]),
    );
    for (const bad of BAD)
      queries.push(new URLSearchParams(QUERY_NAMES.map((name) => [name, bad] as [string, string])));
    for (const [key] of url.searchParams) {
      const q = new URLSearchParams(url.searchParams);
      q.set(key, `${url.searchParams.get(key) ?? ''}${ALL_BAD}`);
      queries.push(q);
    }
    for (const query of queries) {
      const target = new URL(url);
      target.search = query.toString();
      for (const href of [`${target.pathname}${target.search}`, dataUrl(target)]) {
        const response = await request.get(href, { maxRedirects: 0, failOnStatusCode: false });
        await check(`GET ${decodeURIComponent(href)}`, response.status());
      }
    }
    // A path parameter with the same characters.
    const badPath = `${url.pathname.replace(/\/$/, '')}/${encodeURIComponent(ALL_BAD)}`;
    await check(
      `GET ${badPath}`,
      (await request.get(badPath, { maxRedirects: 0, failOnStatusCode: false })).status(),
    );

    await page.goto(path);
    for (const form of await formsOn(page)) {
      if (skipAction.test(new URL(form.action).pathname)) continue;
      if (form.method === 'get') {
        for (const s of submissions(form, ours, extra)) {
          const target = new URL(form.action);
          target.search = new URLSearchParams(s.entries).toString();
          for (const href of [`${target.pathname}${target.search}`, dataUrl(target)]) {
            const response = await request.get(href, { maxRedirects: 0, failOnStatusCode: false });
            await check(`GET form ${path} ${s.label}`, response.status());
          }
        }
        continue;
      }
      for (const s of submissions(form, ours, extra)) {
        const response = await post(request, form, s.entries, file);
        await check(
          `POST ${new URL(form.action).pathname} (on ${path}) ${s.label}`,
          response.status(),
        );
      }
    }
  }
  return failures;
}

test.describe('input hygiene: NUL and control characters never give a 5xx', () => {
  test.describe.configure({ timeout: 600_000 });

  test('every page and form of a signed-in resident', async ({ page }) => {
    const resident = await enrolResident(page, '1981-02-03', {
      name: `衛生　試験${Date.now() % 1000}`,
    });
    const { db } = appDatabase();
    const notice = await publishNotice(db, {
      audience: { type: 'list', residentIds: [resident.id] },
      sender: 'mhlw',
      titleJa: '衛生テスト',
      bodyJa: '本文',
      titleEn: 'Hygiene test',
      bodyEn: 'Body',
      publishAt: new Date(Date.now() - 60_000),
      expiresAt: null,
      createdBy: null,
    });
    const letter = await createLetter((await createResident()).id);
    const paths = [
      ...PUBLIC_PAGES,
      ...residentPages(notice.id),
      `/en/first-access?token=${letter.linkToken}`,
    ];
    const failures = await sweep(
      page,
      paths,
      new Set([resident.id, notice.id]),
      {},
      null,
      /\/sign-out$/,
    );
    expect(failures).toEqual([]);
  });

  test('every page and form of staff with every permission', async ({ page }) => {
    await signInAsNewStaff(page, [...permissions]);
    const resident = await createResident();
    const { db } = appDatabase();
    const notice = await publishNotice(db, {
      audience: { type: 'list', residentIds: [resident.id] },
      sender: 'mhlw',
      titleJa: '衛生テスト（職員）',
      bodyJa: '本文',
      titleEn: null,
      bodyEn: null,
      publishAt: new Date(Date.now() - 60_000),
      expiresAt: null,
      createdBy: null,
    });
    const letter = await createLetter(resident.id);
    const paths = staffPages({ resident, noticeId: notice.id, letterId: letter.id });
    const csv = Buffer.from(`住民票コード\n${resident.registerCode}\n`, 'utf8');
    const failures = await sweep(
      page,
      paths,
      new Set([resident.id, notice.id, letter.id]),
      // Anything the sweep publishes reaches this test's resident only.
      { audience: 'list' },
      { name: 'list.csv', mimeType: 'text/csv', buffer: csv },
      /\/sign-out$/,
    );
    expect(failures).toEqual([]);
  });
});

/** One raw HTTP/1.1 connection: write bytes, read answers as they come. */
class RawConnection {
  private readonly socket: Socket;
  private received = '';
  closed = false;
  private readonly waiters: (() => void)[] = [];

  private constructor(socket: Socket) {
    this.socket = socket;
    socket.on('data', (d: Buffer) => {
      this.received += d.toString('latin1');
      this.wake();
    });
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
    socket.on('error', () => {});
  }

  static open(port: number): Promise<RawConnection> {
    return new Promise((resolve, reject) => {
      const socket = connectSocket(port, '127.0.0.1', () => resolve(new RawConnection(socket)));
      socket.once('error', reject);
    });
  }

  private wake() {
    for (const w of this.waiters.splice(0)) w();
  }

  write(data: string | Buffer): Promise<void> {
    return new Promise((resolve) => {
      if (this.socket.destroyed) return resolve();
      this.socket.write(data, () => resolve());
    });
  }

  /** The next complete answer (head and body, sized or chunked), or null on close or timeout. */
  async answer(ms: number): Promise<{ status: number; headers: string; body: string } | null> {
    const deadline = Date.now() + ms;
    for (;;) {
      const parsed = this.parse();
      if (parsed) return parsed;
      if (this.closed || Date.now() > deadline) return null;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.max(1, deadline - Date.now()));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  private parse(): { status: number; headers: string; body: string } | null {
    const end = this.received.indexOf('\r\n\r\n');
    if (end === -1) return null;
    const head = this.received.slice(0, end);
    let at = end + 4;
    let body = '';
    if (/\r\ntransfer-encoding: *chunked/i.test(head)) {
      for (;;) {
        const line = this.received.indexOf('\r\n', at);
        if (line === -1) return null;
        const size = Number.parseInt(this.received.slice(at, line), 16);
        if (this.received.length < line + 2 + size + 2) return null;
        body += this.received.slice(line + 2, line + 2 + size);
        at = line + 2 + size + 2;
        if (size === 0) break;
      }
    } else {
      const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? 0);
      if (this.received.length < at + length) return null;
      body = this.received.slice(at, at + length);
      at += length;
    }
    this.received = this.received.slice(at);
    return { status: Number(head.split(' ')[1]), headers: head, body };
  }

  /** What arrived and was not an answer (for failure messages). */
  get rest(): string {
    return this.received.slice(0, 300);
  }

  async waitClosed(ms: number): Promise<boolean> {
    const deadline = Date.now() + ms;
    while (!this.closed && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    return this.closed;
  }

  destroy() {
    this.socket.destroy();
  }
}

test.describe('a refused request body never stalls the connection', () => {
  const port = Number(process.env.E2E_PORT);

  /**
   * Sends a request whose body is larger than `sent` (only `sent` bytes of it go out before
   * the answer), then, if the answer keeps the connection, a second request on the same
   * socket: it must be answered within a second, or the first answer must close.
   */
  async function refusedThenNext(head: string, declared: number, sent: number, expected: number) {
    const connection = await RawConnection.open(port);
    try {
      await connection.write(
        `${head}Content-Length: ${declared}\r\nConnection: keep-alive\r\n\r\n`,
      );
      await connection.write(Buffer.alloc(sent, 0x61));
      const first = await connection.answer(5_000);
      expect(first, 'an answer to the refused request').not.toBeNull();
      expect(first?.status).toBe(expected);
      if (/\r\nconnection: *close/i.test(first?.headers ?? '')) {
        expect(await connection.waitClosed(1_000), 'the connection is closed').toBe(true);
        return;
      }
      // The connection is kept: the rest of the body, then the next request, is answered.
      await connection.write(Buffer.alloc(declared - sent, 0x61));
      await connection.write(`GET /healthz HTTP/1.1\r\nHost: localhost:${port}\r\n\r\n`);
      const second = await connection.answer(1_000);
      expect(second?.status, `the next request on the same connection (${connection.rest})`).toBe(
        200,
      );
    } finally {
      connection.destroy();
    }
  }

  const host = `Host: localhost:${port}\r\n`;

  test('a form body over the limit (413, before it is read)', async () => {
    await refusedThenNext(
      `POST /en/ HTTP/1.1\r\n${host}Content-Type: multipart/form-data; boundary=x\r\n`,
      64 * 1024 * 1024,
      256 * 1024,
      413,
    );
  });

  test('a cross-site post (403), small and large', async () => {
    const head = `POST /en/ HTTP/1.1\r\n${host}Origin: https://evil.example\r\nSec-Fetch-Site: cross-site\r\nContent-Type: application/x-www-form-urlencoded\r\n`;
    await refusedThenNext(head, 512 * 1024, 64 * 1024, 403);
    await refusedThenNext(head, 8 * 1024 * 1024, 256 * 1024, 403);
  });

  test('a body of a type a page does not take (staff, 400), and API requests refused before their body (405, 401)', async ({
    page,
  }) => {
    await signInAsNewStaff(page, ['insurance:read', 'insurance:import']);
    const cookie = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
    const head = `POST /en/admin/insurance HTTP/1.1\r\n${host}Cookie: ${cookie}\r\nContent-Type: application/octet-stream\r\n`;
    await refusedThenNext(head, 900 * 1024, 300 * 1024, 400);
    await refusedThenNext(head, 4 * 1024 * 1024, 300 * 1024, 400);
    await refusedThenNext(
      `POST /api/v1/todos HTTP/1.1\r\n${host}Content-Type: application/json\r\n`,
      700 * 1024,
      200 * 1024,
      405,
    );
    await refusedThenNext(
      `POST /api/v1/push-registrations HTTP/1.1\r\n${host}Content-Type: application/json\r\n`,
      700 * 1024,
      200 * 1024,
      401,
    );
  });

  test('an upload the insurance import refuses as too large (staff, 400)', async ({ page }) => {
    await signInAsNewStaff(page, ['insurance:read', 'insurance:import']);
    const cookie = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
    const boundary = 'hygieneboundary';
    const size = 6 * 1024 * 1024;
    const prefix = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.csv"\r\nContent-Type: text/csv\r\n\r\n`;
    const suffix = `\r\n--${boundary}--\r\n`;
    const declared = Buffer.byteLength(prefix) + size + Buffer.byteLength(suffix);
    const connection = await RawConnection.open(port);
    try {
      await connection.write(
        `POST /en/admin/insurance HTTP/1.1\r\n${host}Cookie: ${cookie}\r\nContent-Type: multipart/form-data; boundary=${boundary}\r\nContent-Length: ${declared}\r\nConnection: keep-alive\r\n\r\n${prefix}`,
      );
      await connection.write(Buffer.alloc(size, 0x31));
      await connection.write(suffix);
      const first = await connection.answer(10_000);
      expect(first?.status).toBe(400);
      if (/\r\nconnection: *close/i.test(first?.headers ?? '')) {
        expect(await connection.waitClosed(1_000)).toBe(true);
        return;
      }
      await connection.write(`GET /healthz HTTP/1.1\r\n${host}\r\n`);
      expect((await connection.answer(1_000))?.status).toBe(200);
    } finally {
      connection.destroy();
    }
  });
});

test.describe('an empty audience list', () => {
  test('a 0-byte CSV publishes nothing: the form says there are no residents in the file', async ({
    page,
  }) => {
    await signInAsNewStaff(page, ['notices:write', 'todos:write']);
    const title = `空のリスト ${randomUUID()}`;
    const emptyFile = { name: 'list.csv', mimeType: 'text/csv', buffer: Buffer.alloc(0) };
    const notice = await page.request.post('/en/admin/notices/new', {
      multipart: {
        intent: 'publish',
        idempotencyKey: randomUUID(),
        sender: 'operator',
        titleJa: title,
        bodyJa: '本文',
        audience: 'list',
        publishWhen: 'now',
        audienceFile: emptyFile,
      },
      maxRedirects: 0,
    });
    expect(notice.status()).toBe(400);
    expect(await notice.text()).toContain('There are no residents in the file');
    const { db } = appDatabase();
    const stored = await db
      .selectFrom('notice')
      .select('id')
      .where('titleJa', '=', title)
      .execute();
    expect(stored).toEqual([]);

    const todo = await page.request.post('/en/admin/todos/new', {
      multipart: { titleJa: title, audienceFile: emptyFile },
      maxRedirects: 0,
    });
    expect(todo.status()).toBe(400);
    expect(await todo.text()).toContain('There are no residents in the file');
  });
});

test.describe('letter IDs cannot be probed', () => {
  test('a locked letter and an unknown letter ID get byte-identical answers', async ({
    request,
  }) => {
    const resident = await createResident({ birthDate: '1979-05-06' });
    const letter = await createLetter(resident.id);
    const { db } = appDatabase();
    await db
      .updateTable('letter')
      .set({ lockedUntil: new Date(Date.now() + 30 * 60_000) })
      .where('id', '=', letter.id)
      .execute();
    // An unknown ID of the same shape; both with the locked letter's right password.
    const unknown = `${letter.code.slice(0, 12)}${letter.code.endsWith('ZZ') ? 'YY' : 'ZZ'}`;
    const answer = async (code: string) => {
      const response = await request.post('/en/first-access', {
        form: {
          code,
          password: letter.password,
          birthYear: '1979',
          birthMonth: '5',
          birthDay: '6',
        },
        maxRedirects: 0,
      });
      // The CSP nonce and request id differ per answer, the form keeps the typed ID: nothing else may.
      const body = (await response.text())
        .replace(/nonce(=|-)"?[A-Za-z0-9+/=]+/g, 'nonce')
        .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, 'request-id')
        .replaceAll(code, 'CODE');
      return { status: response.status(), body };
    };
    const locked = await answer(letter.code);
    const notFound = await answer(unknown);
    expect(locked.status).toBe(400);
    expect(locked.status).toBe(notFound.status);
    expect(locked.body).toBe(notFound.body);
    expect(locked.body).toContain('The letter ID, password or date of birth is not right');
    // The time class (both compare a password hash) is checked in app/letters/letter.service.test.ts.
  });
});

test.describe('personal data is not kept by the browser', () => {
  const notStored = (value: string) =>
    /\bno-store\b/.test(value) || (/\bprivate\b/.test(value) && /\bno-cache\b/.test(value));

  async function cacheControlOf(request: APIRequestContext, paths: string[]) {
    const answers: { href: string; status: number; cacheControl: string }[] = [];
    for (const path of paths) {
      const url = new URL(path, 'http://x');
      for (const href of [path, dataUrl(url)]) {
        const response = await request.get(href, { maxRedirects: 0, failOnStatusCode: false });
        answers.push({
          href,
          status: response.status(),
          cacheControl: response.headers()['cache-control'] ?? '',
        });
      }
    }
    return answers;
  }

  test('every page a signed-in resident sees says no-store; public pages still serve visitors', async ({
    page,
    request,
  }) => {
    for (const answer of await cacheControlOf(request, PUBLIC_PAGES))
      expect(answer.status, answer.href).toBeLessThan(500);
    for (const path of ['/en/', '/ja/', '/en/developers/api']) {
      const response = await request.get(path);
      expect(response.status()).toBe(200);
      expect(response.headers()['cache-control'] ?? '', path).not.toContain('no-store');
    }

    const resident = await enrolResident(page, '1982-03-04');
    const { db } = appDatabase();
    const notice = await publishNotice(db, {
      audience: { type: 'list', residentIds: [resident.id] },
      sender: 'mhlw',
      titleJa: '保存しない',
      bodyJa: '本文',
      titleEn: 'Not stored',
      bodyEn: 'Body',
      publishAt: new Date(Date.now() - 60_000),
      expiresAt: null,
      createdBy: null,
    });
    const answers = await cacheControlOf(page.request, [
      ...residentPages(notice.id),
      ...PUBLIC_PAGES,
    ]);
    expect(answers.filter((a) => a.status === 200).length).toBeGreaterThan(10);
    expect(answers.filter((a) => !notStored(a.cacheControl))).toEqual([]);
  });

  test('every staff page says no-store', async ({ page }) => {
    await signInAsNewStaff(page, [...permissions]);
    const resident = await createResident();
    const { db } = appDatabase();
    const notice = await publishNotice(db, {
      audience: { type: 'list', residentIds: [resident.id] },
      sender: 'mhlw',
      titleJa: '保存しない（職員）',
      bodyJa: '本文',
      titleEn: null,
      bodyEn: null,
      publishAt: new Date(Date.now() - 60_000),
      expiresAt: null,
      createdBy: null,
    });
    const letter = await createLetter(resident.id);
    const answers = await cacheControlOf(
      page.request,
      staffPages({ resident, noticeId: notice.id, letterId: letter.id }),
    );
    expect(answers.filter((a) => a.status === 200).length).toBeGreaterThan(15);
    expect(answers.filter((a) => !notStored(a.cacheControl))).toEqual([]);
  });
});

test.describe('bidirectional controls in typed text', () => {
  const BIDI = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/;
  const shown = async (page: Page, path: string) => {
    await page.goto(path);
    const text = await page.evaluate(() => document.body.innerText);
    return { path, raw: BIDI.test(text), coded: text.includes('⟨U+202E⟩') };
  };

  test('are shown as codes, never applied, on resident and staff pages', async ({
    page,
    browser,
    baseURL,
  }) => {
    const evil = 'exe.\u202Etxt';
    const resident = await enrolResident(page, '1983-04-05', { name: `試験\u202E花子` });
    const { db } = appDatabase();
    const notice = await publishNotice(db, {
      audience: { type: 'list', residentIds: [resident.id] },
      sender: 'mhlw',
      titleJa: `請求書 ${evil}`,
      bodyJa: `本文 ${evil}`,
      titleEn: `Invoice ${evil}`,
      bodyEn: `Body ${evil}`,
      publishAt: new Date(Date.now() - 60_000),
      expiresAt: null,
      createdBy: null,
    });
    const residentPages = [
      await shown(page, '/en/notices'),
      await shown(page, `/en/notices/${notice.id}`),
      await shown(page, '/en/my'),
    ];
    expect(residentPages).toEqual(residentPages.map((p) => ({ ...p, raw: false, coded: true })));

    const staff = await browser.newContext({ baseURL });
    const staffPage = await staff.newPage();
    await signInAsNewStaff(staffPage, [...permissions], `Sato \u202Eevil`);
    const staffPages = [
      await shown(staffPage, `/en/admin/residents/${resident.id}`),
      await shown(staffPage, `/en/admin/notices/${notice.id}`),
      await shown(staffPage, '/en/admin/notices'),
      await shown(staffPage, '/en/admin/staff'),
    ];
    expect(staffPages).toEqual(staffPages.map((p) => ({ ...p, raw: false, coded: true })));
    await staff.close();
  });
});
