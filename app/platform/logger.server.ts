import type { Writable } from 'node:stream';
import { pino, type Logger, type LoggerOptions } from 'pino';

export type { Logger };

/**
 * Structured JSON logs on stdout; one line per event, level set per environment. With `files`
 * (app/platform/log-files.server.ts) every line also goes to the rotating log files.
 */
export function createLogger(
  level: string,
  base: Record<string, unknown> = {},
  files?: Writable,
): Logger {
  const options: LoggerOptions = {
    level,
    base: { service: 'madoguchi', ...base },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: {
      paths: [
        'password',
        '*.password',
        'token',
        '*.token',
        'secret',
        '*.secret',
        'req.headers.cookie',
        'req.headers.authorization',
      ],
      censor: '[redacted]',
    },
  };
  if (!files) return pino(options);
  return pino(
    options,
    pino.multistream([
      { level: 'trace', stream: pino.destination(1) },
      { level: 'trace', stream: files },
    ]),
  );
}
