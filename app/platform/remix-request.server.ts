import type { Request as ExpressRequest, Response as ExpressResponse } from 'express';
import { createReadableStreamFromReadable, writeReadableStreamToWritable } from '@remix-run/node';
import type { CleanInput } from './form-input.server.ts';

/**
 * The web Request Remix answers, built from Express's request the way @remix-run/express
 * does, except that the URL and the body can come from the HTTP front (cleaned of NUL
 * characters, already read: form-input.server.ts). The request is aborted when the client
 * goes away before the answer is sent.
 */
export function toWebRequest(req: ExpressRequest, res: ExpressResponse, input: CleanInput = {}) {
  // req.hostname respects "trust proxy"; the port comes from X-Forwarded-Host or Host.
  const portOf = (host: string | undefined) => Number.parseInt(host?.split(':')[1] ?? '', 10);
  const port = [portOf(req.get('x-forwarded-host')), portOf(req.get('host'))].find((p) =>
    Number.isSafeInteger(p),
  );
  const url = `${req.protocol}://${req.hostname}${port ? `:${port}` : ''}${input.url ?? req.originalUrl}`;

  const headers = new Headers();
  for (const [key, values] of Object.entries(req.headers)) {
    if (values === undefined) continue;
    for (const value of Array.isArray(values) ? values : [values]) headers.append(key, value);
  }
  let controller: AbortController | null = new AbortController();
  const signal = controller.signal;
  res.on('finish', () => (controller = null));
  res.on('close', () => controller?.abort());

  const init: RequestInit & { duplex?: 'half' } = { method: req.method, headers, signal };
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    if (input.body) {
      headers.delete('content-length');
      // A rebuilt multipart body has its own boundary, which fetch writes into the header.
      if (input.body instanceof FormData) headers.delete('content-type');
      init.body = input.body;
    } else {
      init.body = createReadableStreamFromReadable(req);
      init.duplex = 'half';
    }
  }
  return new Request(url, init);
}

/** Writes Remix's answer to Express's response (as @remix-run/express does). */
export async function sendWebResponse(res: ExpressResponse, response: Response): Promise<void> {
  res.statusMessage = response.statusText;
  res.status(response.status);
  for (const [key, value] of response.headers.entries()) res.append(key, value);
  if (/text\/event-stream/i.test(response.headers.get('Content-Type') ?? '')) res.flushHeaders();
  if (response.body) await writeReadableStreamToWritable(response.body, res);
  else res.end();
}
