/**
 * The one rule for return paths and link targets (docs/decisions/0015): a value is judged by
 * where a browser would go, found with the WHATWG URL parser browsers use, never by looking
 * at its first characters. No server imports: pages render links in the browser too.
 */

/**
 * Relative values are resolved against this origin. `.invalid` never resolves (RFC 6761);
 * any http(s) origin gives the same answer for a path, since only the origin is compared.
 */
const BASE = 'http://madoguchi.invalid';

/** Longer values are refused outright (a path we build is far shorter). */
const MAX_LENGTH = 2000;

/**
 * What every browser removes before it parses a URL: leading and trailing C0 controls and
 * spaces, and every tab, line feed and carriage return (WHATWG URL, basic URL parser).
 */
function asBrowsersRead(value: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what it removes
  return value.replace(/[\t\n\r]/g, '').replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, '');
}

/**
 * The path on our own origin that `value` names, in the serialized form the browser would
 * follow (percent-encoded, so always a valid Location header), or null: scheme-relative
 * (`//`, `/\`, with tabs or newlines between), absolute URLs, other schemes, dot segments
 * that collapse to `//host`, and anything that does not start with `/`.
 */
export function sameOriginPath(value: unknown): string | null {
  if (typeof value !== 'string' || value.length > MAX_LENGTH) return null;
  const read = asBrowsersRead(value);
  if (!read.startsWith('/')) return null;
  let url: URL;
  try {
    url = new URL(read, BASE);
  } catch {
    return null;
  }
  if (url.origin !== BASE) return null;
  const path = url.pathname + url.search + url.hash;
  // `/.//x` or `/a/..//x` parse to the path `//x`, which a browser reads as the host x.
  if (path.startsWith('//')) return null;
  return path;
}

/**
 * A return path if `value` is one (see sameOriginPath), else `fallback`, which passes the same
 * rule: fallbacks are built from route parameters (`/${params.lang}/my`), and Remix decodes
 * those, so `/%2F%2Fhost/sign-in` would otherwise make one of `///host/my`.
 */
export function returnPath(value: unknown, fallback: string): string {
  return sameOriginPath(value) ?? sameOriginPath(fallback) ?? '/';
}

export type WebScheme = 'https:' | 'http:';

/**
 * An absolute address of another site, parsed as the browser would, or null: it must be
 * written with its scheme and `//` (`https:evil.example` and `https:/\x` are refused), use one
 * of `schemes`, and carry no user name or password (`https://city.example.jp@evil.example`
 * reads like the city but goes to evil.example).
 */
export function externalUrl(
  value: unknown,
  schemes: readonly WebScheme[] = ['https:'],
): URL | null {
  if (typeof value !== 'string' || value.length > MAX_LENGTH) return null;
  const read = asBrowsersRead(value);
  if (!/^https?:\/\/[^/\\]/i.test(read)) return null;
  let url: URL;
  try {
    url = new URL(read);
  } catch {
    return null;
  }
  if (!(schemes as readonly string[]).includes(url.protocol)) return null;
  if (url.username || url.password) return null;
  return url;
}

/** True if `value` holds a character a browser would silently drop or that no URL needs. */
export function hasInvisibleCharacters(value: string): boolean {
  // eslint-disable-next-line no-control-regex -- control characters are what it finds
  return /[\u0000-\u0020\u007f-\u00a0\u2028\u2029]/.test(value);
}
