import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NextFunction, Request, Response } from 'express';

/**
 * A request body that is not read to its end must not stall the connection. Refusing early
 * (too large, cross-site, wrong content type, not signed in …) leaves the rest of the body
 * on the socket; on a kept-alive connection the next request then waits behind it forever
 * (a browser's reload hung for 45 s). Whenever an answer starts before the body has arrived:
 *
 * - a small body (declared at most DRAIN_LIMIT bytes) is read and thrown away after the
 *   answer, so the connection stays usable; a client that sends more, or too slowly, is cut
 *   off;
 * - a large or unannounced (chunked) body is not waited for: the answer says
 *   `Connection: close` and Node closes the connection after it.
 */
const DRAIN_LIMIT = 1024 * 1024;
const DRAIN_MS = 5_000;

export function unreadBodyGuard() {
  return (req: Request, res: Response, next: NextFunction) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    const chunked = req.headers['transfer-encoding'] !== undefined;
    if (!chunked && !(declared > 0)) return next();
    const writeHead = res.writeHead as (...args: unknown[]) => ServerResponse;
    res.writeHead = function (this: ServerResponse, ...args: unknown[]) {
      if (!req.complete && !res.headersSent) {
        if (chunked || declared > DRAIN_LIMIT) res.setHeader('Connection', 'close');
        else res.once('finish', () => drain(req));
      }
      return writeHead.apply(this, args);
    } as typeof res.writeHead;
    next();
  };
}

function drain(req: IncomingMessage) {
  if (req.complete || req.destroyed) return;
  const cutOff = () => req.socket.destroy();
  const timer = setTimeout(cutOff, DRAIN_MS);
  timer.unref();
  let bytes = 0;
  // Whoever was reading has given up on the body: only this reader is left.
  req.removeAllListeners('data');
  req.on('data', (chunk: Buffer) => {
    bytes += chunk.length;
    if (bytes > DRAIN_LIMIT) cutOff();
  });
  req.once('end', () => clearTimeout(timer));
  req.once('close', () => clearTimeout(timer));
  req.resume();
}
