import { isIP } from 'node:net';

/**
 * Whether a Web Push endpoint may be contacted: https on a public name or address. Endpoints
 * come from browsers (and so from anyone): without this a subscription could make the workers
 * post to loopback, private or link-local addresses, or to internal host names.
 */
export function isPublicEndpoint(endpoint: string): boolean {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return false;
  }
  if (url.protocol !== 'https:' || url.username || url.password) return false;
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const ip = isIP(host);
  if (ip === 4) return !privateIpv4(host);
  if (ip === 6) return !privateIpv6(host);
  // A public name has a dot and is not one of the reserved local suffixes.
  return host.includes('.') && !/(^|\.)(localhost|local|internal|home\.arpa|lan)$/.test(host);
}

function privateIpv4(host: string): boolean {
  const [a = 0, b = 0] = host.split('.').map(Number);
  return (
    a === 0 ||
    a === 10 ||
    a === 127 ||
    (a === 100 && b >= 64 && b <= 127) ||
    (a === 169 && b === 254) ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    a >= 224
  );
}

function privateIpv6(host: string): boolean {
  return (
    host === '::' ||
    host === '::1' ||
    /^f[cd]/.test(host) ||
    /^fe[89ab]/.test(host) ||
    /^::ffff:/.test(host) ||
    /^ff/.test(host)
  );
}
