import { mkdirSync } from 'node:fs';
import { createStream, type RotatingFileStream } from 'rotating-file-stream';

export type LogFileSettings = {
  /** The folder; the current file is `<name>.log`, earlier days `<name>-YYYYMMDD.log.gz`. */
  dir: string;
  /** The file's base name: one per process (`madoguchi`, `madoguchi-web2`). */
  name: string;
  /** Days kept: one compressed file a day, the oldest removed beyond this many. */
  retentionDays: number;
  /** How often to start a new file: '1d' in production; tests use seconds. */
  interval?: string;
};

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * The log lines also go to files (decision 0066): one file a day per process, compressed
 * with gzip when the day ends, the oldest removed once more than `retentionDays` are kept
 * (5 years by default: the seed keeps access and operation logs that long). The stream
 * buffers and writes in the background; `close` flushes it at stop.
 */
export function openLogFiles(settings: LogFileSettings): RotatingFileStream {
  mkdirSync(settings.dir, { recursive: true, mode: 0o700 });
  // Named by the period's start in the process's time zone, the one rotating-file-stream cuts
  // periods in; a second file in the same period gets an index.
  const name = (time: number | Date | null, index?: number) => {
    if (!time) return `${settings.name}.log`;
    const t = new Date(time);
    const day = `${t.getFullYear()}${pad(t.getMonth() + 1)}${pad(t.getDate())}`;
    const seconds = settings.interval?.endsWith('s')
      ? `T${pad(t.getHours())}${pad(t.getMinutes())}${pad(t.getSeconds())}`
      : '';
    return `${settings.name}-${day}${seconds}${index && index > 1 ? `-${index}` : ''}.log.gz`;
  };
  const stream = createStream(name, {
    path: settings.dir,
    interval: settings.interval ?? '1d',
    compress: 'gzip',
    maxFiles: settings.retentionDays,
    history: `.${settings.name}.history`,
    mode: 0o600,
  });
  // A full disk or a line after stop must not take the service down: say it on stderr.
  stream.on('error', (error) =>
    process.stderr.write(`log files: ${error instanceof Error ? error.message : error}\n`),
  );
  return stream;
}
