import { createECDH, createHash, randomBytes, randomUUID } from 'node:crypto';
import { readdirSync } from 'node:fs';
import fc from 'fast-check';
import type { APIRequestContext } from '@playwright/test';
import { test, expect } from './fixtures.ts';
import { appDatabase, enrolResident } from './support/app.ts';
import {
  bearer,
  linkApp,
  linkNewResident,
  linkResident,
  registerTestClient,
  REDIRECT,
  type Tokens,
} from './support/app-client.ts';
import {
  Contract,
  SchemaArbitraries,
  validateOpenApiDocument,
  type Method,
} from './support/openapi.ts';
import { publishNotice } from '../app/notices/notice.service.server.ts';
import { createSystemTodo } from '../app/todos/todo.service.server.ts';
import { importInsuranceCsv } from '../app/insurance/insurance.service.server.ts';
import { RATE_LIMIT } from '../app/api/guard.server.ts';
import { problemTypes, type ProblemType } from '../app/api/problem.server.ts';
import { addDays, tokyoDate } from '../app/i18n/dates.ts';

/*
 * The app API against its own OpenAPI document: the document is valid OpenAPI 3.1 and names
 * exactly the routes there are; every answer (success or problem) has a documented status,
 * media type and body shape; requests generated from the document's schemas, valid or broken,
 * never get a 5xx, and broken ones get a 400 problem naming the broken field.
 */

const VALIDATION = 'urn:madoguchi:problem:validation';
type Problem = { type: string; title: string; status: number; errors?: { field: string }[] };
type Call = {
  params?: Record<string, string>;
  query?: Record<string, string> | URLSearchParams;
  token?: string;
  headers?: Record<string, string>;
  json?: unknown;
  form?: Record<string, string>;
  raw?: { body: string | Buffer; contentType?: string };
};

/** Speaks HTTP to the app, checks every answer against the document, keeps every body. */
class ApiClient {
  readonly bodies: string[] = [];
  /** "METHOD path status" of every answer seen. */
  readonly seen = new Set<string>();
  private readonly request: APIRequestContext;
  readonly contract: Contract;

  constructor(request: APIRequestContext, contract: Contract) {
    this.request = request;
    this.contract = contract;
  }

  async call(method: Method, path: string, call: Call = {}, note = '') {
    let url = path.replace(/\{(\w+)\}/g, (_, name: string) =>
      encodeURIComponent(call.params?.[name] ?? ''),
    );
    const query = new URLSearchParams(call.query);
    if ([...query].length > 0) url += `?${query}`;
    const headers: Record<string, string> = {
      ...(call.token === undefined ? {} : bearer(call.token)),
      ...call.headers,
    };
    let data: string | Buffer | undefined;
    if (call.json !== undefined) {
      data = JSON.stringify(call.json);
      headers['Content-Type'] = 'application/json';
    }
    if (call.raw) {
      data = call.raw.body;
      if (call.raw.contentType !== undefined) headers['Content-Type'] = call.raw.contentType;
    }
    const response = await this.request.fetch(url, {
      method: method.toUpperCase(),
      headers,
      data,
      form: call.form,
      maxRedirects: 0,
    });
    const text = await response.text();
    this.bodies.push(text);
    const where = `${note} [${method.toUpperCase()} ${url.slice(0, 300)} body ${
      typeof data === 'string' ? data.slice(0, 300) : JSON.stringify(call.form ?? null)
    }]`;
    expect(response.status(), `no 5xx: ${where}: ${text.slice(0, 300)}`).toBeLessThan(500);
    const body = await this.contract.check(response, path, method, where);
    this.seen.add(`${method} ${path} ${response.status()}`);
    return { status: response.status(), headers: response.headers(), body, where };
  }

  /** A call that must be answered with a problem of this status (and type, if given). */
  async problem(
    method: Method,
    path: string,
    call: Call,
    status: number,
    type?: string,
    note = '',
  ): Promise<Problem> {
    const result = await this.call(method, path, call, note);
    expect(result.status, result.where).toBe(status);
    expect(result.headers['content-type']).toContain('application/problem+json');
    const problem = result.body as Problem;
    expect(this.contract.problem(problem), result.where).toBe(true);
    expect(problem.status).toBe(status);
    if (type) expect(problem.type, result.where).toBe(type);
    return problem;
  }
}

/** A validation problem naming `field` (or one of its sub-fields), unless field is null. */
function expectValidation(
  result: { status: number; body: unknown; where: string },
  field: string | null,
) {
  expect(result.status, result.where).toBe(400);
  const problem = result.body as Problem;
  expect(problem.type, result.where).toBe(VALIDATION);
  expect(problem.errors?.length ?? 0, `fields listed: ${result.where}`).toBeGreaterThan(0);
  if (field !== null)
    expect(
      problem.errors?.map((e) => e.field),
      `the broken field is named: ${result.where}`,
    ).toContainEqual(
      expect.stringMatching(new RegExp(`^${field.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(\\.|$)`)),
    );
}

/**
 * Several linked residents, each with its own access token, used in turn so that fuzzing stays
 * inside every token's rate limit (a client-side bucket a little below the server's).
 */
class LinkPool {
  private readonly entries: {
    tokens: Tokens;
    todoId: string;
    registerCode: string;
    level: number;
    at: number;
  }[] = [];

  static async create(request: APIRequestContext, clientId: string, size: number) {
    const pool = new LinkPool();
    for (let i = 0; i < size; i++) {
      const linked = await linkNewResident(request, clientId);
      const todo = await createSystemTodo(appDatabase().db, {
        residentId: linked.residentId,
        kind: 'contract_fuzz',
        titleJa: '契約テスト',
        titleEn: 'Contract test',
        dueDate: null,
        actionUrl: null,
      });
      pool.entries.push({
        tokens: linked,
        todoId: todo.id,
        registerCode: linked.registerCode,
        level: RATE_LIMIT.burst - 10,
        at: Date.now(),
      });
    }
    return pool;
  }

  get registerCodes() {
    return this.entries.map((e) => e.registerCode);
  }

  async take() {
    const rate = RATE_LIMIT.perSecond * 0.8;
    for (;;) {
      const now = Date.now();
      for (const e of this.entries) {
        e.level = Math.min(RATE_LIMIT.burst - 10, e.level + ((now - e.at) / 1000) * rate);
        e.at = now;
      }
      const best = this.entries.reduce((a, b) => (b.level > a.level ? b : a));
      if (best.level >= 1) {
        best.level -= 1;
        return { token: best.tokens.access_token, todoId: best.todoId };
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
}

const expectNoRegisterCode = (bodies: string[], codes: string[]) => {
  for (const code of codes) {
    expect(code).toMatch(/^\d{11}$/);
    expect(bodies.filter((b) => b.includes(code))).toEqual([]);
  }
};

/** Resources about the API itself, not operations of it: never in `paths`. */
const META_PATHS = ['/api/v1/openapi.json', '/api/v1/_index', '/api/v1/docs'];

const routePaths = () =>
  readdirSync(new URL('../app/routes/', import.meta.url))
    // A splat route ($) is a catch-all, not an operation.
    .filter((f) => /^api\.v1\..+\.tsx?$/.test(f) && !/\.\$\.tsx?$/.test(f))
    .map((f) =>
      f
        .replace(/^api\.v1\./, '')
        .replace(/\.tsx?$/, '')
        .replace('[.]', '\u0000')
        .split('.')
        .map((s) => s.replace('\u0000', '.').replace(/^\$(\w+)$/, '{$1}'))
        .join('/'),
    )
    .map((p) => `/api/v1/${p}`);

test.describe('app API contract (OpenAPI)', () => {
  test.use({ locale: 'ja-JP' });

  test('the document is valid OpenAPI 3.1 and names exactly the api.v1 routes and their methods', async ({
    request,
  }) => {
    const contract = await Contract.load(request);
    expect(await validateOpenApiDocument(contract.doc)).toEqual({ valid: true });
    expect(contract.doc.openapi).toMatch(/^3\.1\./);

    // Every route file is documented (the document itself aside), and nothing else is.
    const documented = Object.keys(contract.doc.paths).sort();
    const routes = routePaths().filter((p) => !META_PATHS.includes(p));
    expect(routes.length).toBeGreaterThan(5);
    expect(documented).toEqual(routes.sort());

    // Every documented operation exists: without credentials or a body it is refused with a
    // documented problem, never 404/405. Other methods get a 405 whose Allow header lists
    // exactly the documented ones.
    const client = new ApiClient(request, contract);
    for (const { path, method, op } of contract.operations) {
      const result = await client.call(method, path, {
        params: { noticeId: randomUUID(), todoId: randomUUID(), registrationId: randomUUID() },
      });
      expect([404, 405], result.where).not.toContain(result.status);
      expect(result.status, result.where).toBe(contract.secured(op) ? 401 : 400);
    }
    // A 405 is the documented MethodNotAllowed problem, on every path under /api/v1 (the
    // document, its index and the docs redirect included); HEAD goes wherever GET does.
    const notAllowed = contract.doc.components?.responses?.MethodNotAllowed;
    expect(notAllowed?.content?.['application/problem+json']).toBeDefined();
    const validate405 = contract.validator(
      'components',
      'responses',
      'MethodNotAllowed',
      'content',
      'application/problem+json',
      'schema',
    );
    const allPaths: [string, string[]][] = [
      ...Object.entries(contract.doc.paths).map(
        ([path, methods]) =>
          [path, Object.keys(methods).filter((k) => k !== 'description')] as [string, string[]],
      ),
      ['/api/v1/openapi.json', ['get']],
      ['/api/v1', ['get']],
      ['/api/v1/docs', ['get']],
    ];
    for (const [path, methods] of allPaths) {
      const url = path.replace(/\{\w+\}/g, randomUUID());
      const allow = methods.map((m) => m.toUpperCase());
      if (allow.includes('GET')) allow.push('HEAD');
      // Also methods Remix itself cannot route (TRACE once answered 500, PROPFIND a non-problem).
      for (const method of [
        'PUT',
        'POST',
        'PATCH',
        'DELETE',
        'OPTIONS',
        'TRACE',
        'PROPFIND',
      ].filter((m) => !allow.includes(m))) {
        const response = await request.fetch(url, {
          method,
          ...(method === 'TRACE' ? {} : { data: '{}' }),
        });
        const where = `${method} ${path}`;
        expect(response.status(), where).toBe(405);
        expect(response.headers()['content-type'], where).toContain('application/problem+json');
        const body = await response.json();
        expect(validate405(body) ? [] : validate405.errors, where).toEqual([]);
        contract.checkHeaders(notAllowed?.headers, response.headers(), where);
        expect(
          (response.headers()['allow'] ?? '').split(/,\s*/).sort(),
          `Allow of ${path}`,
        ).toEqual(allow.sort());
      }
      if (allow.includes('HEAD')) {
        const head = await request.fetch(url, { method: 'HEAD', maxRedirects: 0 });
        expect([404, 405], `HEAD ${path}`).not.toContain(head.status());
      }
    }
  });

  test('the document names every operation, its security, the account link (OAuth 2.0 with PKCE), page sizes and the problem types per operation', async ({
    request,
    baseURL,
  }) => {
    const contract = await Contract.load(request);
    const doc = contract.doc;

    // operationIds: present, unique, usable as method names.
    const ids = contract.operations.map((o) => o.op.operationId);
    expect(ids.filter((id) => !/^[a-z][A-Za-z0-9]*$/.test(id ?? ''))).toEqual([]);
    expect(new Set(ids).size).toBe(ids.length);

    // The account link: an oauth2 scheme with the authorization code flow and PKCE.
    const oauth2 = doc.components?.securitySchemes?.oauth2 as Record<string, unknown>;
    expect(oauth2).toMatchObject({
      type: 'oauth2',
      flows: {
        authorizationCode: {
          authorizationUrl: `${baseURL}/ja/app/authorize`,
          tokenUrl: `${baseURL}/api/v1/token`,
          refreshUrl: `${baseURL}/api/v1/token`,
          scopes: {},
        },
      },
      'x-code-challenge-methods-supported': ['S256'],
      'x-authorization-response-iss-parameter-supported': true,
    });
    const flow = String(oauth2.description);
    for (const words of [
      /PKCE/,
      /code_challenge_method=S256/,
      /code \(single use, valid 60 s\)/,
      /\bstate\b/,
      /error=access_denied/,
      /\biss\b/,
    ])
      expect(flow).toMatch(words);
    // The token endpoint needs no credentials; everything else the oauth2 access token.
    for (const { path, method, op } of contract.operations)
      expect(op.security, `${method} ${path}`).toEqual(
        path === '/api/v1/token' ? [] : [{ oauth2: [] }],
      );

    // The notice list's page size, bounded.
    const limit = contract
      .operation('/api/v1/notices', 'get')
      .parameters?.find((p) => p.name === 'limit');
    expect(limit?.schema).toMatchObject({ type: 'integer', minimum: 1, maximum: 100, default: 20 });

    // Each problem response lists its types, each of that status.
    for (const { path, method, op } of contract.operations)
      for (const [status, response] of Object.entries(op.responses)) {
        const types = contract.problemTypes(response);
        if (!response.content?.['application/problem+json']) continue;
        expect(types?.length, `${method} ${path} ${status}`).toBeGreaterThan(0);
        for (const type of types ?? [])
          expect(
            problemTypes[
              type.replace('urn:madoguchi:problem:', '').replaceAll('-', '_') as ProblemType
            ],
            `${method} ${path} ${status}: ${type}`,
          ).toBe(Number(status));
      }

    // The human-readable reference: linked from the document, from /api/v1 and /api/v1/docs.
    for (const lang of ['ja', 'en'])
      expect(doc.info.description).toContain(`${baseURL}/${lang}/developers/api`);
    // The credential issuer (outside /api/v1) is described there too, and each URL answers.
    for (const path of [
      '/.well-known/openid-credential-issuer',
      '/credentials/nonce',
      '/credentials/credential',
      '/credentials/deferred',
      '/credentials/notification',
      '/credentials/iaca.pem',
      '/credentials/iaca.der',
    ])
      expect(doc.info.description).toContain(`${baseURL}${path}`);
    const issuer = await request.get('/.well-known/openid-credential-issuer');
    expect(issuer.status()).toBe(200);
    expect((await issuer.json()) as { credential_issuer: string }).toMatchObject({
      credential_issuer: baseURL,
    });
    expect((await request.get('/credentials/iaca.pem')).status()).toBe(200);
    expect((await request.post('/credentials/nonce')).status()).toBe(200);
    const index = await request.get('/api/v1');
    expect(index.status()).toBe(200);
    expect(index.headers()['content-language']).toBe('en');
    expect(index.headers()['link']).toContain('</api/v1/openapi.json>; rel="service-desc"');
    expect(index.headers()['link']).toContain('</en/developers/api>; rel="service-doc"');
    expect(await index.json()).toMatchObject({
      openapi: `${baseURL}/api/v1/openapi.json`,
      documentation: { ja: `${baseURL}/ja/developers/api`, en: `${baseURL}/en/developers/api` },
      web_push_public_key: expect.stringMatching(/^[A-Za-z0-9_-]{87}$/),
    });
    for (const [language, lang] of [
      ['ja', 'ja'],
      ['en-GB,en;q=0.8', 'en'],
    ] as const) {
      const docs = await request.get('/api/v1/docs', {
        headers: { 'Accept-Language': language },
        maxRedirects: 0,
      });
      expect(docs.status()).toBe(302);
      expect(docs.headers()['location']).toBe(`/${lang}/developers/api`);
      const page = await request.get(`/${lang}/developers/api`);
      expect(page.status()).toBe(200);
      const html = await page.text();
      for (const id of ids) expect(html).toContain(`id="op-${id}"`);
      expect(html).toContain('urn:madoguchi:problem:device-replaced');
    }
  });

  test('the account link redirects back with the documented parameters: code, state, iss; or error=access_denied, state, iss', async ({
    page,
    baseURL,
  }) => {
    const clientId = await registerTestClient('redirect');
    await enrolResident(page, '1977-07-07');
    await page.route('https://app.example.jp/**', (route) =>
      route.fulfill({ status: 200, contentType: 'text/plain', body: 'app' }),
    );
    for (const [button, expected] of [
      ['連携する', ['code', 'state', 'iss']],
      ['連携しない', ['error', 'state', 'iss']],
    ] as const) {
      const state = randomUUID();
      const query = new URLSearchParams({
        response_type: 'code',
        client_id: clientId,
        redirect_uri: REDIRECT,
        code_challenge: 'c'.repeat(43),
        code_challenge_method: 'S256',
        state,
      });
      await page.goto(`/ja/app/authorize?${query}`);
      await page.getByRole('button', { name: button }).click();
      await page.waitForURL(`${REDIRECT}?**`, { waitUntil: 'load' });
      const back = new URL(page.url());
      expect([...back.searchParams.keys()].sort()).toEqual([...expected].sort());
      expect(back.searchParams.get('state')).toBe(state);
      expect(back.searchParams.get('iss')).toBe(baseURL);
      if (button === '連携しない') expect(back.searchParams.get('error')).toBe('access_denied');
      else expect(back.searchParams.get('code')).toMatch(/^ac1\./);
    }
  });

  test('every operation answers a real linked app as documented; no answer holds the register code', async ({
    page,
    request,
  }) => {
    test.setTimeout(90_000);
    const { db } = appDatabase();
    const contract = await Contract.load(request);
    const api = new ApiClient(request, contract);
    const clientId = await registerTestClient('contract');
    const resident = await enrolResident(page, '1988-08-08');

    const noticeIds: string[] = [];
    for (let i = 0; i < 22; i++) {
      const notice = await publishNotice(db, {
        audience: { type: 'list', residentIds: [resident.id] },
        sender: 'mhlw',
        titleJa: `契約テスト ${i}`,
        bodyJa: '本文 **強調**',
        titleEn: i % 2 === 0 ? `Contract test ${i}` : null,
        bodyEn: i % 2 === 0 ? 'Body' : null,
        publishAt: new Date(Date.now() - (i + 1) * 60_000),
        expiresAt: null,
        createdBy: null,
      });
      noticeIds.push(notice.id);
    }
    const today = tokyoDate(new Date());
    const todo = await createSystemTodo(db, {
      residentId: resident.id,
      kind: 'contract_due',
      titleJa: '契約を確かめる',
      titleEn: 'Check the contract',
      descriptionJa: '説明',
      dueDate: addDays(today, -1),
      actionUrl: '/notices',
    });
    const other = await createSystemTodo(db, {
      residentId: resident.id,
      kind: 'contract_plain',
      titleJa: '日本語だけ',
      titleEn: null,
      dueDate: null,
      actionUrl: 'https://www.example.jp/',
    });
    const imported = await importInsuranceCsv(
      db,
      Buffer.from(
        `\uFEFF住民票コード,保険者番号,保険者名,記号,番号,枝番,資格取得日,資格喪失日,負担割合\r\n` +
          `${resident.registerCode},01140017,全国健康保険協会　神奈川支部,1234,567,01,2019-04-01,2024-04-01,3割\r\n` +
          `${resident.registerCode},142109,三浦市国民健康保険,三浦,8901,,2024-04-01,,2割\r\n`,
      ),
    );
    expect(imported.ok).toBe(true);

    const first = await linkApp(page, request, clientId, 'Contract phone');
    let token = first.access_token;

    // Link
    const me = (await api.call('get', '/api/v1/link', { token })).body as Record<string, unknown>;
    expect(me).toMatchObject({ subject: first.subject, client_id: clientId });

    // Notices: two pages, filters, ETag, bad parameters.
    const page1 = await api.call('get', '/api/v1/notices', { token });
    expect(page1.status).toBe(200);
    const list1 = page1.body as { items: { id: string }[]; next_cursor: string | null };
    expect(list1.items.length).toBe(20);
    expect(list1.next_cursor).not.toBeNull();
    const page2 = await api.call('get', '/api/v1/notices', {
      token,
      query: { cursor: list1.next_cursor ?? '' },
    });
    expect(page2.status).toBe(200);
    const ids = [...list1.items, ...(page2.body as typeof list1).items].map((n) => n.id);
    expect(ids).toEqual(expect.arrayContaining(noticeIds));
    expect(new Set(ids).size).toBe(ids.length);
    const english = await api.call('get', '/api/v1/notices', {
      token,
      query: { unread: 'true', lang: 'en' },
    });
    expect(english.status).toBe(200);
    expect((english.body as { items: { lang: string }[] }).items.map((n) => n.lang)).toContain(
      'en',
    );
    expect(page1.headers['content-language']).toBe('ja');
    expect(english.headers['content-language']).toBe('en');
    // Pages of `limit`: every notice once, in the same order as the default pages.
    const walked: string[] = [];
    const sizes: number[] = [];
    let cursor: string | null = null;
    do {
      const next = await api.call('get', '/api/v1/notices', {
        token,
        query: { limit: '7', ...(cursor ? { cursor } : {}) },
      });
      const body = next.body as typeof list1;
      sizes.push(body.items.length);
      walked.push(...body.items.map((n) => n.id));
      cursor = body.next_cursor;
    } while (cursor);
    expect(sizes).toEqual([
      ...Array.from({ length: Math.ceil(ids.length / 7) - 1 }, () => 7),
      ids.length - 7 * (Math.ceil(ids.length / 7) - 1),
    ]);
    expect(walked).toEqual(ids);
    const whole = (await api.call('get', '/api/v1/notices', { token, query: { limit: '100' } }))
      .body as typeof list1;
    expect(whole.items.map((n) => n.id)).toEqual(ids);
    expect(whole.next_cursor).toBeNull();
    expectValidation(
      await api.call('get', '/api/v1/notices', { token, query: { limit: '101' } }),
      'limit',
    );
    expect(page1.headers['etag']).toBeTruthy();
    expect(
      (
        await api.call('get', '/api/v1/notices', {
          token,
          headers: { 'If-None-Match': page1.headers['etag'] ?? '' },
        })
      ).status,
    ).toBe(304);
    expectValidation(
      await api.call('get', '/api/v1/notices', { token, query: { unread: 'yes' } }),
      'unread',
    );
    expectValidation(
      await api.call('get', '/api/v1/notices', { token, query: { cursor: 'not-a-cursor' } }),
      'cursor',
    );

    // One notice.
    const detail = await api.call('get', '/api/v1/notices/{noticeId}', {
      token,
      params: { noticeId: noticeIds[1]! },
      query: { lang: 'en' },
    });
    expect(detail.status).toBe(200);
    // No English text: the Japanese one, saying so.
    expect(detail.body).toMatchObject({ id: noticeIds[1], lang: 'ja' });
    expect(detail.headers['content-language']).toBe('ja');
    await api.problem(
      'get',
      '/api/v1/notices/{noticeId}',
      { token, params: { noticeId: randomUUID() } },
      404,
      'urn:madoguchi:problem:not-found',
    );
    expectValidation(
      await api.call('get', '/api/v1/notices/{noticeId}', {
        token,
        params: { noticeId: noticeIds[0]! },
        query: { lang: 'fr' },
      }),
      'lang',
    );

    // To-dos.
    const todos = await api.call('get', '/api/v1/todos', {
      token,
      headers: { 'Accept-Language': 'en' },
    });
    expect(todos.status).toBe(200);
    const items = (todos.body as { items: { id: string; state: string; lang: string }[] }).items;
    expect(items.find((t) => t.id === todo.id)).toMatchObject({ state: 'overdue', lang: 'en' });
    expect(items.find((t) => t.id === other.id)).toMatchObject({ lang: 'ja' });
    expect(
      (
        await api.call('get', '/api/v1/todos', {
          token,
          headers: { 'Accept-Language': 'en', 'If-None-Match': todos.headers['etag'] ?? '' },
        })
      ).status,
    ).toBe(304);
    expect(
      (await api.call('get', '/api/v1/todos/{todoId}', { token, params: { todoId: todo.id } }))
        .status,
    ).toBe(200);
    await api.problem(
      'get',
      '/api/v1/todos/{todoId}',
      { token, params: { todoId: randomUUID() } },
      404,
    );
    const done = await api.call('patch', '/api/v1/todos/{todoId}', {
      token,
      params: { todoId: todo.id },
      json: { status: 'done' },
    });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ id: todo.id, status: 'done', state: 'done' });
    expectValidation(
      await api.call('patch', '/api/v1/todos/{todoId}', {
        token,
        params: { todoId: other.id },
        json: { status: 'open' },
      }),
      'status',
    );
    await api.problem(
      'patch',
      '/api/v1/todos/{todoId}',
      { token, params: { todoId: randomUUID() }, json: { status: 'dismissed' } },
      404,
    );

    // Insurance.
    const insurance = await api.call('get', '/api/v1/insurance', { token });
    expect(insurance.status).toBe(200);
    expect((insurance.body as { qualifications: unknown[] }).qualifications).toHaveLength(2);
    expect(
      (
        await api.call('get', '/api/v1/insurance', {
          token,
          headers: { 'If-None-Match': insurance.headers['etag'] ?? '' },
        })
      ).status,
    ).toBe(304);

    // Push registrations: each channel, then removal.
    const registrations: string[] = [];
    for (const json of [
      { channel: 'fcm', token: `fcm-${randomUUID()}`, locale: 'en' },
      { channel: 'apns', token: 'ab'.repeat(32) + randomUUID().replaceAll('-', '') },
      {
        channel: 'webpush',
        endpoint: `https://push.example.jp/send/${randomUUID()}`,
        // A browser's keys: a point on the P-256 curve and a 16-byte secret.
        keys: {
          p256dh: createECDH('prime256v1').generateKeys().toString('base64url'),
          auth: randomBytes(16).toString('base64url'),
        },
      },
    ]) {
      const created = await api.call('post', '/api/v1/push-registrations', { token, json });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ channel: json.channel });
      registrations.push((created.body as { id: string }).id);
      expect(created.headers['location']).toBe(
        `/api/v1/push-registrations/${(created.body as { id: string }).id}`,
      );
    }
    expectValidation(
      await api.call('post', '/api/v1/push-registrations', {
        token,
        json: { channel: 'sms', token: '0123456789' },
      }),
      'channel',
    );
    expect(
      (
        await api.call('delete', '/api/v1/push-registrations/{registrationId}', {
          token,
          params: { registrationId: registrations[0]! },
        })
      ).status,
    ).toBe(204);
    await api.problem(
      'delete',
      '/api/v1/push-registrations/{registrationId}',
      { token, params: { registrationId: registrations[0]! } },
      404,
    );

    // SSO.
    const sso = await api.call('post', '/api/v1/sso', { token, json: { path: '/en/todos' } });
    expect(sso.status).toBe(201);
    expect((sso.body as { url: string }).url).toMatch(/\/en\/sso\?ticket=/);
    expect(sso.headers['location']).toBe((sso.body as { url: string }).url);
    expect(sso.headers['content-language']).toBe('en');
    expectValidation(
      await api.call('post', '/api/v1/sso', { token, json: { path: '//evil.example/' } }),
      'path',
    );

    // Token endpoint: refresh (form and JSON), and its refusals.
    const refreshed = await api.call('post', '/api/v1/token', {
      form: {
        grant_type: 'refresh_token',
        client_id: clientId,
        refresh_token: first.refresh_token,
      },
    });
    expect(refreshed.status).toBe(200);
    const second = refreshed.body as Tokens;
    expect(second.subject).toBe(first.subject);
    const again = await api.call('post', '/api/v1/token', {
      json: {
        grant_type: 'refresh_token',
        client_id: clientId,
        refresh_token: second.refresh_token,
      },
    });
    expect(again.status).toBe(200);
    const third = again.body as Tokens;
    token = third.access_token;
    await api.problem(
      'post',
      '/api/v1/token',
      {
        json: {
          grant_type: 'refresh_token',
          client_id: 'no-such-client',
          refresh_token: third.refresh_token,
        },
      },
      401,
      'urn:madoguchi:problem:invalid-client',
    );
    await api.problem(
      'post',
      '/api/v1/token',
      {
        form: {
          grant_type: 'authorization_code',
          client_id: clientId,
          code: 'ac1.not-a-real-code',
          redirect_uri: REDIRECT,
          code_verifier: 'v'.repeat(43),
        },
      },
      400,
      'urn:madoguchi:problem:invalid-grant',
    );
    await api.problem(
      'post',
      '/api/v1/token',
      { form: { grant_type: 'password', client_id: clientId } },
      400,
      'urn:madoguchi:problem:unsupported-grant-type',
    );

    // Every protected operation without a token.
    for (const { path, method, op } of contract.operations.filter((o) => contract.secured(o.op))) {
      const problem = await api.problem(
        method,
        path,
        { params: { noticeId: noticeIds[0]!, todoId: todo.id, registrationId: registrations[1]! } },
        401,
        'urn:madoguchi:problem:unauthorized',
        op.summary,
      );
      expect(problem.title).toBeTruthy();
    }

    // Unlink; the link's tokens then stop with link-ended.
    expect((await api.call('delete', '/api/v1/link', { token })).status).toBe(204);
    await api.problem('get', '/api/v1/link', { token }, 401, 'urn:madoguchi:problem:link-ended');
    await api.problem(
      'post',
      '/api/v1/token',
      {
        form: {
          grant_type: 'refresh_token',
          client_id: clientId,
          refresh_token: third.refresh_token,
        },
      },
      401,
      'urn:madoguchi:problem:link-ended',
    );

    // Every documented status of every operation was seen (429: the rate-limit test).
    const missing = contract.operations.flatMap(({ path, method, op }) =>
      Object.keys(op.responses)
        .filter((status) => status !== '429' && !api.seen.has(`${method} ${path} ${status}`))
        .map((status) => `${method} ${path} ${status}`),
    );
    expect(missing).toEqual([]);
    expectNoRegisterCode(api.bodies, [resident.registerCode]);
  });
  test.describe('generated invalid requests', () => {
    // numRuns per operation: enough to find a crash in a field, small enough for < 60 s.
    const RUNS = 60;

    test('bodies generated from the schemas: a valid one is never refused as invalid; a broken one is a 400 naming the field; never a 5xx', async ({
      request,
    }) => {
      test.setTimeout(120_000);
      const contract = await Contract.load(request);
      const api = new ApiClient(request, contract);
      const arbitraries = new SchemaArbitraries(contract);
      const clientId = await registerTestClient('fuzz');
      const pool = await LinkPool.create(request, clientId, 4);

      for (const { path, method, op } of contract.operations.filter((o) => o.op.requestBody)) {
        for (const mediaType of Object.keys(op.requestBody!.content)) {
          const schema = contract.requestBodySchema(path, method, mediaType)!;
          const accepts = contract.requestBody(path, method, mediaType)!;
          const form = mediaType === 'application/x-www-form-urlencoded';
          const uriFields = arbitraries.fieldsWithFormat(schema, 'uri');
          const bodies = fc.oneof(
            {
              weight: 1,
              arbitrary: arbitraries
                .valid(schema)
                .map((body) => ({ body, field: null, how: 'valid' })),
            },
            { weight: 5, arbitrary: arbitraries.mutated(schema) },
            {
              weight: 1,
              arbitrary: fc.jsonValue().map((body) => ({ body, field: null, how: 'any JSON' })),
            },
          );
          await fc.assert(
            fc.asyncProperty(bodies, async ({ body, field, how }) => {
              const { token, todoId } = contract.secured(op)
                ? await pool.take()
                : { token: undefined, todoId: '' };
              // A form carries strings only: what the server sees is the stringified fields.
              const sent =
                form && body !== null && typeof body === 'object' && !Array.isArray(body)
                  ? Object.fromEntries(
                      Object.entries(body).map(([k, v]) => [
                        k,
                        typeof v === 'string' ? v : JSON.stringify(v),
                      ]),
                    )
                  : body;
              if (form && sent === body) return; // not expressible as a form
              const result = await api.call(
                method,
                path,
                {
                  token,
                  params: { todoId },
                  ...(form ? { form: sent as Record<string, string> } : { json: sent }),
                },
                `${how} ${mediaType}`,
              );
              const problem = result.body as Problem | null;
              if (accepts(sent) && !JSON.stringify(sent).includes('\\u0000')) {
                // Valid per the document, so not refused as invalid; except that JSON Schema's
                // "uri" format is looser than the URL parser behind z.url() (e.g. "https:%00a",
                // port 99999): such a field alone may still be refused.
                // Likewise a Web Push key that fits the pattern but is no point on the P-256
                // curve (JSON Schema cannot say so).
                const refused = problem?.type === VALIDATION ? (problem.errors ?? []) : [];
                expect(
                  refused.filter((e) => !uriFields.includes(e.field) && e.field !== 'keys.p256dh'),
                  `valid per the document: ${result.where}`,
                ).toEqual([]);
                expect(result.status, result.where).not.toBe(429);
              } else {
                // A body over the size limit (64 KiB) is refused as a whole.
                const text = form
                  ? new URLSearchParams(sent as Record<string, string>).toString()
                  : JSON.stringify(sent);
                const tooLarge = text.length > 64 * 1024;
                // A grant_type that is some other string is an unsupported grant (RFC 6749).
                if (
                  field === 'grant_type' &&
                  typeof (sent as { grant_type?: unknown }).grant_type === 'string' &&
                  problem?.type === 'urn:madoguchi:problem:unsupported-grant-type'
                )
                  expect(result.status, result.where).toBe(400);
                else expectValidation(result, tooLarge ? '(body)' : field);
              }
            }),
            { numRuns: RUNS },
          );
        }
      }
      expectNoRegisterCode(api.bodies, pool.registerCodes);
    });

    test('malformed JSON, wrong content types, form or multipart instead of JSON, oversized bodies: problem+json, never a 5xx', async ({
      request,
    }) => {
      test.setTimeout(120_000);
      const contract = await Contract.load(request);
      const api = new ApiClient(request, contract);
      const clientId = await registerTestClient('fuzz');
      const pool = await LinkPool.create(request, clientId, 3);
      const validJson = fc.constantFrom(
        '{"grant_type":"refresh_token","client_id":"' +
          clientId +
          '","refresh_token":"rt1.aaaaaaaaaaaa"}',
        '{"status":"done"}',
        '{"channel":"fcm","token":"abcdefghij"}',
        '{"path":"/ja/notices"}',
      );
      const text = fc.oneof(
        fc.string({ unit: 'binary', maxLength: 300 }),
        fc.json({ maxDepth: 3 }),
        validJson.chain((j) => fc.integer({ min: 0, max: j.length - 1 }).map((n) => j.slice(0, n))),
        validJson.map((j) => j.replace(':', '=')),
        validJson,
        fc.constantFrom(
          '',
          ' ',
          'null',
          '[]',
          '""',
          '0',
          '{"__proto__":{"x":1}}',
          '\uFEFF{}',
          '{'.repeat(5000),
          '['.repeat(100_000),
          '['.repeat(30_000) + ']'.repeat(30_000),
          '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000),
        ),
        fc
          .integer({ min: 64 * 1024 - 2, max: 64 * 1024 + 2 })
          .map((n) => JSON.stringify({ x: 'a'.repeat(n) })),
      );
      const contentType = fc.constantFrom(
        undefined,
        'application/json',
        'application/json; charset=utf-8',
        'text/plain',
        'application/xml',
        'application/x-www-form-urlencoded',
        'multipart/form-data',
        'multipart/form-data; boundary=----x',
        'application/octet-stream',
        'application/json; charset=shift_jis',
      );
      for (const { path, method, op } of contract.operations.filter((o) => o.op.requestBody)) {
        await fc.assert(
          fc.asyncProperty(text, contentType, async (body, type) => {
            const { token, todoId } = contract.secured(op)
              ? await pool.take()
              : { token: undefined, todoId: '' };
            const result = await api.call(
              method,
              path,
              { token, params: { todoId }, raw: { body, contentType: type } },
              `raw ${type}`,
            );
            if (result.status >= 400) {
              expect(result.headers['content-type']).toContain('application/problem+json');
              if ((result.body as Problem).type === VALIDATION) expectValidation(result, null);
            }
          }),
          { numRuns: 40 },
        );
      }

      // Malformed JSON names the body; a form or a JSON token request are the same request.
      expectValidation(
        await api.call('post', '/api/v1/token', {
          raw: { body: '{"grant_type":', contentType: 'application/json' },
        }),
        '(body)',
      );
      const fields = {
        grant_type: 'refresh_token',
        // A client of its own: the refused grants above may have used up this address's budget.
        client_id: await registerTestClient('fuzz'),
        refresh_token: 'rt1.no-such-token',
      };
      const asForm = await api.problem('post', '/api/v1/token', { form: fields }, 400);
      const asJson = await api.problem('post', '/api/v1/token', { json: fields }, 400);
      expect(asForm.type).toBe('urn:madoguchi:problem:invalid-grant');
      expect(asJson.type).toBe(asForm.type);
      const multipart = await request.post('/api/v1/token', { multipart: fields });
      expect(multipart.status()).toBe(400);
      expect((await multipart.json()).type).toBe(asForm.type);
      expectNoRegisterCode(api.bodies, pool.registerCodes);
    });

    test('query and path parameters: invalid ones are a documented 4xx problem, never a 5xx', async ({
      request,
    }) => {
      test.setTimeout(120_000);
      const contract = await Contract.load(request);
      const api = new ApiClient(request, contract);
      const clientId = await registerTestClient('fuzz');
      const pool = await LinkPool.create(request, clientId, 4);

      const dates = fc.oneof(
        fc
          .date({ min: new Date('1000-01-01'), max: new Date('9999-12-31'), noInvalidDate: false })
          .map((d) => (Number.isNaN(d.getTime()) ? 'Invalid' : d.toISOString())),
        fc.constantFrom('9999-12-31T23:59:59Z', '1', 'infinity', '2020-02-30'),
        fc.string({ maxLength: 30 }),
      );
      const anyIds = fc.oneof(
        fc.uuid(),
        fc.stringMatching(/^[0-9a-f-]{36}$/),
        fc.constantFrom(
          '-'.repeat(36),
          '0'.repeat(36),
          'f'.repeat(32),
          '00000000-0000-0000-0000-00000000000g',
        ),
        fc.string({ unit: 'binary', maxLength: 40 }),
      );
      const ids = anyIds;
      const cursors = fc.oneof(
        fc.tuple(dates, ids).map(([d, id]) => Buffer.from(`${d}|${id}`).toString('base64url')),
        fc.string({ unit: 'binary', maxLength: 250 }),
        fc.base64String({ maxLength: 220 }),
      );
      const anyValue = fc.string({ unit: 'binary', maxLength: 300 });
      const noticeQuery = fc.record(
        {
          cursor: fc.oneof(cursors, anyValue),
          unread: fc.oneof(fc.constantFrom('true', 'false', 'TRUE', '1', ''), anyValue),
          lang: fc.oneof(fc.constantFrom('ja', 'en', 'EN', 'fr', ''), anyValue),
          limit: fc.oneof(
            fc.integer({ min: -5, max: 130 }).map(String),
            fc.constantFrom('', '1e1', ' 5', '5 ', '0x10', '+5', '007', '5.0', '１０'),
            fc.stringMatching(/^[0-9]{1,25}$/),
            anyValue,
          ),
          other: anyValue,
        },
        { requiredKeys: [] },
      );
      const parameterCheck = (path: string, method: Method) => {
        const parameters = contract.operation(path, method).parameters ?? [];
        return (query: URLSearchParams) => {
          // No parameter may hold U+0000 (the document's description says so for all strings).
          for (const [name, value] of query) if (value.includes('\u0000')) return name;
          for (const p of parameters.filter((p) => p.in === 'query')) {
            const value = query.get(p.name);
            if (value === null) continue;
            // An integer parameter travels as its decimal digits (OpenAPI style "form").
            const typed =
              p.schema.type === 'integer' && /^[0-9]+$/.test(value) ? Number(value) : value;
            if (!contract.compileStandalone(p.schema)(typed)) return p.name;
          }
          return null;
        };
      };

      // Every parameter is fuzzed even when another already failed: all failures are reported.
      const failures: string[] = [];
      const run = async <T extends unknown[]>(
        name: string,
        property: fc.IAsyncProperty<T>,
        numRuns: number,
      ) => {
        try {
          await fc.assert(property, { numRuns });
        } catch (error) {
          failures.push(`${name}: ${String(error).slice(0, 1200)}`);
        }
      };
      const noticesQuery = parameterCheck('/api/v1/notices', 'get');
      await run(
        'GET /api/v1/notices query',
        fc.asyncProperty(noticeQuery, async (values) => {
          const { token } = await pool.take();
          const query = new URLSearchParams(new URLSearchParams(values).toString());
          const result = await api.call('get', '/api/v1/notices', { token, query }, 'query');
          const invalid = noticesQuery(query);
          if (invalid) expectValidation(result, invalid);
          else if (result.status === 400) expectValidation(result, 'cursor');
          else expect(result.status, result.where).toBe(200);
        }),
        100,
      );

      // Ids that are not ids of this resident's things: 404 (or 400 for a bad query).
      const segments = fc
        .oneof(anyIds, fc.string({ unit: 'grapheme', minLength: 1, maxLength: 60 }))
        .filter((s) => s !== '' && s !== '.' && s !== '..');
      const detailQuery = parameterCheck('/api/v1/notices/{noticeId}', 'get');
      await run(
        'GET /api/v1/notices/{noticeId}',
        fc.asyncProperty(
          segments,
          fc.option(fc.oneof(fc.constantFrom('ja', 'en'), anyValue)),
          async (id, lang) => {
            const { token } = await pool.take();
            const query = new URLSearchParams(lang === null ? {} : { lang });
            const result = await api.call(
              'get',
              '/api/v1/notices/{noticeId}',
              { token, params: { noticeId: id }, query },
              'path',
            );
            const invalid = detailQuery(new URLSearchParams(query.toString()));
            if (invalid) expectValidation(result, invalid);
            else expect(result.status, result.where).toBe(404);
          },
        ),
        RUNS,
      );
      for (const [method, path, param, json] of [
        ['get', '/api/v1/todos/{todoId}', 'todoId', undefined],
        ['patch', '/api/v1/todos/{todoId}', 'todoId', { status: 'done' }],
        ['delete', '/api/v1/push-registrations/{registrationId}', 'registrationId', undefined],
      ] as const) {
        await run(
          `${method.toUpperCase()} ${path}`,
          fc.asyncProperty(segments, async (id) => {
            const { token } = await pool.take();
            const result = await api.call(
              method,
              path,
              { token, params: { [param]: id }, json },
              'path',
            );
            expect(result.status, result.where).toBe(404);
          }),
          40,
        );
      }
      expect(failures).toEqual([]);
      expectNoRegisterCode(api.bodies, pool.registerCodes);
    });

    test('missing, garbage, tampered, expired and ended tokens: 401 problem+json on every protected operation', async ({
      request,
    }) => {
      test.setTimeout(120_000);
      const contract = await Contract.load(request);
      const api = new ApiClient(request, contract);
      const clientId = await registerTestClient('fuzz');
      const linked = await linkNewResident(request, clientId);
      const real = linked.access_token;
      // Access tokens are opaque (decision 0017): the database knows what they stand for.
      const { db } = appDatabase();
      const hash = (token: string) => createHash('sha256').update(token).digest();
      const claims = { r: linked.residentId };
      const expired = (await linkNewResident(request, clientId)).access_token;
      await db
        .updateTable('appRefreshToken')
        .set({ accessExpiresAt: new Date(Date.now() - 1000) })
        .where('accessHash', '=', hash(expired))
        .execute();
      const unknown = `at2.${randomBytes(32).toString('base64url')}`;
      const body = real.slice('at2.'.length);
      const flip = (s: string, i: number) =>
        s.slice(0, i) + (s[i] === 'A' ? 'B' : 'A') + s.slice(i + 1);
      const ascii = fc.string({ unit: 'grapheme-ascii', maxLength: 200 });
      const headers = fc.oneof(
        fc.constant(undefined),
        ascii,
        ascii.map((s) => `Bearer ${s}`),
        fc.constantFrom(
          'Bearer',
          'Bearer ',
          'Basic dXNlcjpwYXNz',
          `bearer  ${real}x`,
          `Token ${real}`,
          `Bearer ${real} ${real}`,
        ),
        fc.tuple(fc.base64String(), fc.base64String()).map(([p, m]) => `Bearer at1.${p}.${m}`),
        fc.integer({ min: 0, max: body.length - 1 }).map((i) => `Bearer at2.${flip(body, i)}`),
        fc.constant(`Bearer at2.${body.slice(1)}`),
        fc.constant(`Bearer ${unknown}`),
        fc.constant(`Bearer ${expired}`),
      );
      const protectedOps = contract.operations.filter((o) => contract.secured(o.op));
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...protectedOps),
          headers,
          async ({ path, method }, header) => {
            const result = await api.call(
              method,
              path,
              {
                headers: header === undefined ? {} : { Authorization: header },
                params: {
                  noticeId: randomUUID(),
                  todoId: randomUUID(),
                  registrationId: randomUUID(),
                },
                json: method === 'get' || method === 'delete' ? undefined : {},
              },
              'auth',
            );
            expect(result.status, result.where).toBe(401);
            expect(result.headers['www-authenticate'], result.where).toMatch(/^Bearer/);
            const type = (result.body as Problem).type;
            if (header === `Bearer ${expired}`)
              expect(type).toBe('urn:madoguchi:problem:token-expired');
            else expect(type, result.where).toBe('urn:madoguchi:problem:unauthorized');
          },
        ),
        { numRuns: 150 },
      );
      // The real token still works (nothing above used its budget), and after a new link of
      // the same resident it says the device was replaced.
      expect((await api.call('get', '/api/v1/link', { token: real })).status).toBe(200);
      await linkResident(request, clientId, claims.r, 'Second phone');
      await api.problem(
        'get',
        '/api/v1/link',
        { token: real },
        401,
        'urn:madoguchi:problem:device-replaced',
      );
      expectNoRegisterCode(api.bodies, [linked.registerCode]);
    });

    test('past the per-token rate limit: 429 problem+json with Retry-After, as documented', async ({
      request,
    }) => {
      const contract = await Contract.load(request);
      const api = new ApiClient(request, contract);
      const clientId = await registerTestClient('fuzz');
      const { access_token: token } = await linkNewResident(request, clientId);
      // Bursts of concurrent requests until the budget runs out (the bucket refills meanwhile).
      const results: Awaited<ReturnType<ApiClient['call']>>[] = [];
      while (!results.some((r) => r.status === 429) && results.length < 1000)
        results.push(
          ...(await Promise.all(
            Array.from({ length: 20 }, () => api.call('get', '/api/v1/link', { token })),
          )),
        );
      const limited = results.filter((r) => r.status === 429);
      expect(limited.length).toBeGreaterThan(0);
      expect(results.filter((r) => r.status === 200).length).toBeGreaterThanOrEqual(
        RATE_LIMIT.burst - 5,
      );
      for (const r of limited) {
        expect((r.body as Problem).type).toBe('urn:madoguchi:problem:rate-limited');
        expect(Number(r.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      }
      expect(api.seen.has('get /api/v1/link 429')).toBe(true);
    });
  });
  // Found by the fuzzers above (each once answered 500 or an HTML page); kept as plain cases.
  test.describe('edges the fuzzers found', () => {
    test('DELETE /push-registrations/{id} with 36 hex digits or dashes that are not a UUID: 404, not 500', async ({
      request,
    }) => {
      const contract = await Contract.load(request);
      const api = new ApiClient(request, contract);
      const { access_token: token } = await linkNewResident(
        request,
        await registerTestClient('bug'),
      );
      for (const id of ['-'.repeat(36), '0'.repeat(36)]) {
        await api.problem(
          'delete',
          '/api/v1/push-registrations/{registrationId}',
          { token, params: { registrationId: id } },
          404,
        );
      }
    });

    test('GET /notices with a cursor holding a date PostgreSQL cannot store or a non-UUID id: 400, not 500', async ({
      request,
    }) => {
      const contract = await Contract.load(request);
      const api = new ApiClient(request, contract);
      const { access_token: token } = await linkNewResident(
        request,
        await registerTestClient('bug'),
      );
      const cursor = (date: string, id: string) =>
        Buffer.from(`${date}|${id}`).toString('base64url');
      for (const value of [
        cursor('0000-12-31T23:59:59.999Z', randomUUID()),
        cursor('-271821-04-20T00:00:00.000Z', randomUUID()),
        cursor('+275760-09-13T00:00:00.000Z', randomUUID()),
        cursor('2020-01-01T00:00:00.000Z', '-'.repeat(36)),
      ])
        expectValidation(
          await api.call('get', '/api/v1/notices', { token, query: { cursor: value } }),
          'cursor',
        );
    });

    test('unknown paths under /api/v1 answer 404 problem+json, not the HTML page', async ({
      request,
    }) => {
      for (const path of ['/api/v1/nope', '/api/v1/notices/a/b', '/api/v2/notices']) {
        const response = await request.get(path);
        expect(response.status(), path).toBe(404);
        expect(response.headers()['content-type'], path).toContain('application/problem+json');
      }
    });
  });
});
