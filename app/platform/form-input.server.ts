import type { NextFunction, Request, Response } from 'express';

/**
 * Input hygiene for every page request, before any route runs (docs/decisions/0021):
 * the NUL character (U+0000) is removed from the path, the query string and every text field
 * of a form body, urlencoded or multipart. PostgreSQL text cannot hold U+0000 and no person
 * means one, so removing it changes nothing anyone typed visibly and lets each route's own
 * validation answer the rest next to its field. File parts are passed on byte for byte (a
 * CSV may be Shift_JIS or binary); only a file's name is cleaned.
 *
 * Form bodies are read here, whole, up to a limit; a larger one is refused with 413 before
 * it is read (the connection is then closed, see unread-body.server.ts). The JSON API under
 * /api has its own validation that answers problem+json and is left alone.
 */

/** Text forms: a notice in two languages with a carried list of 100,000 codes fits easily. */
const MAX_URLENCODED_BYTES = 4 * 1024 * 1024;
/** Uploads: the largest file a form takes (audience lists, 16 MiB) and its fields. */
const MAX_MULTIPART_BYTES = 17 * 1024 * 1024;
/**
 * The card-pickup list's upload takes files up to 50 MB (decision 0043): its page refuses a
 * larger one next to the field, as long as the body is read; beyond this, 413 here.
 */
const LARGE_UPLOAD_PATH = /^\/(ja|en)\/admin\/targets\/import\/?$/;
const MAX_LARGE_UPLOAD_BYTES = 64 * 1024 * 1024;

export type CleanBody = Uint8Array<ArrayBuffer> | URLSearchParams | FormData;

/** What the Remix handler builds its request from, when this front changed or read it. */
export type CleanInput = { url?: string; body?: CleanBody };

export type Refusal = 'tooLarge' | 'badRequest';

const hasNul = (s: string) => s.includes('\u0000');
const withoutNul = (s: string) => (hasNul(s) ? s.replaceAll('\u0000', '') : s);

/** The request target without NUL characters in its path or query (the same string if none). */
export function cleanRequestTarget(target: string): string {
  if (!target.includes('%00')) return target;
  const q = target.indexOf('?');
  let path = q === -1 ? target : target.slice(0, q);
  // Removing one "%00" can join "%" and "00" into another: repeat until none is left.
  while (path.includes('%00')) path = path.replaceAll('%00', '');
  if (q === -1) return path;
  const query = target.slice(q + 1);
  if (!query.includes('%00')) return `${path}?${query}`;
  const params = new URLSearchParams();
  for (const [key, value] of new URLSearchParams(query))
    params.append(withoutNul(key), withoutNul(value));
  const cleaned = params.toString();
  return cleaned ? `${path}?${cleaned}` : path;
}

/** An urlencoded body with NUL characters removed from its names and values. */
export function cleanUrlencoded(bytes: Uint8Array<ArrayBuffer>): CleanBody {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (!text.includes('%00') && !text.includes(0)) return bytes;
  const params = new URLSearchParams();
  for (const [key, value] of new URLSearchParams(text.toString('utf8')))
    params.append(withoutNul(key), withoutNul(value));
  return params;
}

/**
 * A multipart body with NUL characters removed from its text fields and file names; null when
 * it is not valid multipart. Unchanged bytes go on as they came.
 */
export async function cleanMultipart(
  bytes: Uint8Array<ArrayBuffer>,
  contentType: string,
): Promise<CleanBody | null> {
  let form: FormData;
  try {
    form = await new Response(bytes, { headers: { 'Content-Type': contentType } }).formData();
  } catch {
    return null;
  }
  let changed = false;
  const cleaned = new FormData();
  for (const [key, value] of form) {
    if (typeof value === 'string') {
      changed ||= hasNul(key) || hasNul(value);
      cleaned.append(withoutNul(key), withoutNul(value));
    } else {
      changed ||= hasNul(key) || hasNul(value.name);
      const file = hasNul(value.name)
        ? new File([value], withoutNul(value.name), {
            type: value.type,
            lastModified: value.lastModified,
          })
        : value;
      cleaned.append(withoutNul(key), file);
    }
  }
  return changed ? cleaned : bytes;
}

/** The whole body, or 'tooLarge' as soon as it passes the limit (the rest is left unread). */
function readBody(req: Request, limit: number): Promise<Uint8Array<ArrayBuffer> | 'tooLarge'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.off('data', onData);
        req.pause();
        resolve('tooLarge');
      } else chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks)));
    req.once('error', reject);
    req.once('close', () => {
      if (!req.complete) reject(new Error('request aborted'));
    });
  });
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The middleware: cleans the target, reads and cleans form bodies, and leaves the result in
 * res.locals.cleanInput for the Remix handler. `refuse` answers a body it will not take.
 */
export function formInputHygiene(refuse: (req: Request, res: Response, why: Refusal) => void) {
  return async (req: Request, res: Response, next: NextFunction) => {
    if (req.path.startsWith('/api/')) return next();
    const input: CleanInput = {};
    res.locals.cleanInput = input;
    const target = cleanRequestTarget(req.originalUrl);
    if (target !== req.originalUrl) input.url = target;
    if (SAFE_METHODS.has(req.method)) return next();

    const contentType = req.get('content-type') ?? '';
    const type = contentType.split(';')[0]?.trim().toLowerCase();
    const multipart = type === 'multipart/form-data';
    if (type !== 'application/x-www-form-urlencoded' && !multipart) return next();
    const limit = !multipart
      ? MAX_URLENCODED_BYTES
      : LARGE_UPLOAD_PATH.test(req.path)
        ? MAX_LARGE_UPLOAD_BYTES
        : MAX_MULTIPART_BYTES;
    if (Number(req.get('content-length')) > limit) return refuse(req, res, 'tooLarge');
    let bytes: Uint8Array<ArrayBuffer> | 'tooLarge';
    try {
      bytes = await readBody(req, limit);
    } catch {
      return; // the client went away: nobody to answer
    }
    if (bytes === 'tooLarge') return refuse(req, res, 'tooLarge');
    const body = multipart ? await cleanMultipart(bytes, contentType) : cleanUrlencoded(bytes);
    if (body === null) return refuse(req, res, 'badRequest');
    input.body = body;
    next();
  };
}
