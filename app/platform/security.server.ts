import { randomFillSync } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import { SESSION_COOKIE, sessionTokenFrom } from '../identity/session.server.ts';

/**
 * Security headers on every response. The CSP allows our own origin only (no third party at
 * all), inline scripts only with this response's nonce, and no framing.
 */
export function securityHeaders(options: { https: boolean; development: boolean }) {
  const nonce = (_req: unknown, res: unknown) =>
    `'nonce-${(res as Response).locals.cspNonce as string}'`;
  const csp = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        'default-src': ["'self'"],
        'script-src': ["'self'", nonce],
        'style-src': ["'self'"],
        'img-src': ["'self'", 'data:'],
        'font-src': ["'self'"],
        // The dev server's live reload talks over a websocket on another port.
        'connect-src': options.development ? ["'self'", 'ws:'] : ["'self'"],
        'worker-src': ["'self'"],
        'manifest-src': ["'self'"],
        'object-src': ["'none'"],
        'base-uri': ["'self'"],
        'form-action': ["'self'"],
        'frame-ancestors': ["'none'"],
        // Violations go to our own endpoint (app/browser-errors), never to a third party.
        'report-uri': ['/browser-errors'],
        ...(options.https ? { 'upgrade-insecure-requests': [] } : {}),
      },
    },
    strictTransportSecurity: options.https ? { maxAge: 63072000, includeSubDomains: true } : false,
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
    crossOriginEmbedderPolicy: false,
    xFrameOptions: { action: 'deny' },
  });
  return (req: Request, res: Response, next: NextFunction) => {
    res.locals.cspNonce = nextNonce();
    res.setHeader(
      'Permissions-Policy',
      'camera=(), microphone=(), geolocation=(), interest-cohort=()',
    );
    csp(req, res, next);
  };
}

// 128 random bits per response. Drawn from the CSPRNG 256 nonces at a time: one call per
// request cost more than the rest of the security headers.
const NONCE_BYTES = 16;
const noncePool = Buffer.alloc(NONCE_BYTES * 256);
let nonceOffset = noncePool.length;
function nextNonce(): string {
  if (nonceOffset === noncePool.length) {
    randomFillSync(noncePool);
    nonceOffset = 0;
  }
  const nonce = noncePool.toString('base64', nonceOffset, nonceOffset + NONCE_BYTES);
  nonceOffset += NONCE_BYTES;
  return nonce;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Cross-site request forgery protection for every state-changing request from a browser.
 * Browsers mark each request with Sec-Fetch-Site (and, on POST, Origin); a form posted from
 * another site carries "cross-site" or a foreign Origin and is refused before any action
 * runs. Requests with neither header come from non-browser clients, which cannot carry a
 * victim's cookies. The JSON API under /api authenticates with bearer tokens, not cookies.
 * Session cookies are SameSite=Lax as a second line. (docs/decisions/0004-csrf.md)
 */
export function isCrossOriginRequest(
  method: string,
  headers: { get(name: string): string | null },
  expectedOrigins: string[],
): boolean {
  if (SAFE_METHODS.has(method.toUpperCase())) return false;
  const site = headers.get('sec-fetch-site');
  if (site === 'same-origin' || site === 'none') return false;
  const origin = headers.get('origin');
  if (origin === null) return site !== null; // cross-site/same-site without Origin: refuse
  return !expectedOrigins.includes(origin);
}

export function crossOriginProtection(
  publicOrigin: string,
  render: (req: Request, res: Response) => void,
) {
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.path.startsWith('/api/')) return next();
    const own = `${req.protocol}://${req.get('host') ?? ''}`;
    const headers = { get: (name: string) => req.get(name) ?? null };
    if (isCrossOriginRequest(req.method, headers, [publicOrigin, own])) return render(req, res);
    next();
  };
}

/** Staff pages, documents and their .data requests: /ja/admin, /en/admin_/…, /ja/admin.data. */
const ADMIN_PAGE = /^\/[a-z]{2}\/admin(?:[/.?_]|$)/;

/**
 * Pages that show personal data must not be kept by the browser or any cache: a shared
 * computer's back button or history would show them to the next person. Every page answered
 * to someone signed in shows at least their name, and every staff page is personal: those
 * answers, and those that set or clear the session cookie, get `Cache-Control: no-store` unless the
 * route chose no-store or private itself. Public pages for visitors are not touched.
 */
export function personalDataNotStored(
  request: globalThis.Request,
  response: globalThis.Response,
): void {
  const { pathname } = new URL(request.url);
  if (pathname.startsWith('/api/')) return; // the API sets its own (bearer tokens, not cookies)
  const personal =
    sessionTokenFrom(request) !== undefined ||
    response.headers.getSetCookie().some((c) => c.startsWith(`${SESSION_COOKIE}=`)) ||
    ADMIN_PAGE.test(pathname);
  if (!personal) return;
  const current = response.headers.get('Cache-Control') ?? '';
  if (/\b(no-store|private)\b/.test(current)) return;
  response.headers.set('Cache-Control', 'no-store');
}
