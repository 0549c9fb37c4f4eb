/**
 * What browsers report about our pages, made safe to keep (issue 14, decision 0065): no query
 * strings or fragments, no addresses or long numbers in free text, short messages and stacks.
 * Shared by the endpoint and its tests; nothing here touches the database.
 */
export const BROWSER_ERROR_KINDS = ['error', 'rejection', 'csp'] as const;
export type BrowserErrorKind = (typeof BROWSER_ERROR_KINDS)[number];

export type BrowserErrorReport = {
  kind: BrowserErrorKind;
  route: string;
  message: string;
  example: {
    source: string | null;
    line: number | null;
    column: number | null;
    stack: string | null;
  };
};

const MESSAGE_MAX = 300;
const STACK_LINES = 8;
const STACK_MAX = 1500;
const ROUTE_ID = /^(?:root|routes\/[A-Za-z0-9$._[\]-]{1,150})$/;

/** A URL without its query and fragment; a relative one as its path; keywords ('inline') as they are. */
export function withoutQuery(value: string): string {
  const text = value.trim().slice(0, 500);
  if (!/^[a-z][a-z0-9+.-]*:|^\//i.test(text)) return text.slice(0, 50);
  try {
    const url = new URL(text, 'http://relative.invalid');
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return `${url.protocol}`;
    return url.origin === 'http://relative.invalid' ? url.pathname : `${url.origin}${url.pathname}`;
  } catch {
    return text.replace(/[?#].*$/, '').slice(0, 200);
  }
}

/** Free text (a message, a stack) with URLs cut at their query, addresses and long numbers masked. */
export function scrubText(text: string, max: number): string {
  return text
    .replace(/(https?:\/\/[^\s?#'"()<>]+)[?#][^\s'"()<>]*/g, '$1')
    .replace(/(\s|^)(\/[^\s?#'"()<>]*)[?#][^\s'"()<>:]*/g, '$1$2')
    .replace(/[^\s@'"<>()]+@[^\s@'"<>()]+\.[a-z]{2,}/gi, '[email]')
    .replace(/\d{6,}/g, '[number]')
    .slice(0, max);
}

const trimStack = (stack: string) =>
  scrubText(
    stack
      .split('\n')
      .slice(0, STACK_LINES)
      .map((l) => l.trim())
      .join('\n'),
    STACK_MAX,
  );

const text = (v: unknown) => (typeof v === 'string' ? v : '');
const whole = (v: unknown) =>
  typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < 10_000_000 ? v : null;

/**
 * A page path as a pattern: the language, ids and numbers replaced, so reports from
 * /ja/notices/<uuid> and /en/notices/<uuid> land in one group.
 */
export function pathPattern(path: string): string {
  return (
    withoutQuery(path)
      .replace(/^https?:\/\/[^/]+/, '')
      .split('/')
      .map((segment, i) =>
        i === 1 && /^(ja|en)$/.test(segment)
          ? ':lang'
          : /^[0-9a-f-]{32,36}$/i.test(segment) || /\d/.test(segment) || segment.length > 40
            ? ':id'
            : segment,
      )
      .join('/')
      .slice(0, 200) || '/'
  );
}

/** Our reporter's JSON: one uncaught error or unhandled rejection. */
function fromReporter(body: Record<string, unknown>): BrowserErrorReport | null {
  const kind = body.kind === 'rejection' ? 'rejection' : body.kind === 'error' ? 'error' : null;
  const message = scrubText(text(body.message), MESSAGE_MAX).trim();
  if (!kind || !message) return null;
  const route = text(body.route);
  const source = text(body.source);
  const stack = text(body.stack);
  return {
    kind,
    route: ROUTE_ID.test(route) ? route : 'unknown',
    message,
    example: {
      source: source ? withoutQuery(source) : null,
      line: whole(body.line),
      column: whole(body.column),
      stack: stack ? trimStack(stack) : null,
    },
  };
}

/** A CSP violation, from either the report-uri format or the Reporting API's body. */
function fromViolation(v: Record<string, unknown>): BrowserErrorReport | null {
  const directive = text(
    v['effective-directive'] ?? v.effectiveDirective ?? v['violated-directive'],
  );
  const document = text(v['document-uri'] ?? v.documentURL);
  if (!directive || !document) return null;
  const blocked = withoutQuery(text(v['blocked-uri'] ?? v.blockedURL) || 'inline');
  const source = text(v['source-file'] ?? v.sourceFile);
  return {
    kind: 'csp',
    route: pathPattern(document),
    message: scrubText(`${directive.split(' ')[0]} blocked ${blocked}`, MESSAGE_MAX),
    example: {
      source: source ? withoutQuery(source) : null,
      line: whole(v['line-number'] ?? v.lineNumber),
      column: whole(v['column-number'] ?? v.columnNumber),
      stack: null,
    },
  };
}

/**
 * The reports in a body of one of the accepted types; [] when it holds none we understand.
 * At most 10 from one body (the Reporting API batches them).
 */
export function readReports(contentType: string, body: unknown): BrowserErrorReport[] {
  const reports: (BrowserErrorReport | null)[] = [];
  if (contentType === 'application/csp-report' && isObject(body) && isObject(body['csp-report']))
    reports.push(fromViolation(body['csp-report']));
  else if (contentType === 'application/reports+json' && Array.isArray(body))
    for (const r of body.slice(0, 10))
      if (isObject(r) && r.type === 'csp-violation' && isObject(r.body))
        reports.push(fromViolation(r.body));
  if (contentType === 'application/json' && isObject(body)) reports.push(fromReporter(body));
  return reports.filter((r): r is BrowserErrorReport => r !== null);
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
