import { createHash } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readSync, fstatSync, writeSync, fsyncSync } from 'node:fs';
import { dirname, join, normalize, sep } from 'node:path';
import type { Readable } from 'node:stream';

/**
 * A minimal POSIX ustar writer and reader for base backups (decision 0061). A data file may
 * change while a base backup copies it (PostgreSQL's WAL replay repairs it): each file is
 * written at the size it had when opened, zero-filled if it shrank meanwhile, and a file that
 * vanished is left out — which a general tar library treats as an error. The archives are
 * plain tar, so `zstd -d < base.tar.zst | tar -x` also reads an unencrypted one.
 */
const BLOCK = 512;
const CHUNK = 1 << 20;

export type TarEntry = { path: string; absolute: string; type: 'file' | 'dir'; mode: number };
export type WrittenEntry = { path: string; size: number; sha256: string };

function octal(value: number, width: number): string {
  return value.toString(8).padStart(width - 1, '0') + '\0';
}

function header(path: string, type: 'file' | 'dir', mode: number, size: number, mtime: number) {
  const block = Buffer.alloc(BLOCK);
  const name = type === 'dir' ? `${path}/` : path;
  let prefix = '';
  let short = name;
  if (Buffer.byteLength(name) > 100) {
    const cut = name.lastIndexOf('/', name.length - 2);
    prefix = name.slice(0, cut);
    short = name.slice(cut + 1);
    if (Buffer.byteLength(short) > 100 || Buffer.byteLength(prefix) > 155)
      throw new Error(`path too long for ustar: ${name}`);
  }
  block.write(short, 0, 100, 'utf8');
  block.write(octal(mode & 0o7777, 8), 100, 'ascii');
  block.write(octal(0, 8), 108, 'ascii');
  block.write(octal(0, 8), 116, 'ascii');
  block.write(octal(size, 12), 124, 'ascii');
  block.write(octal(Math.floor(mtime / 1000), 12), 136, 'ascii');
  block.write(' '.repeat(8), 148, 'ascii');
  block.write(type === 'dir' ? '5' : '0', 156, 'ascii');
  block.write('ustar\0', 257, 'ascii');
  block.write('00', 263, 'ascii');
  block.write(prefix, 345, 155, 'utf8');
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(octal(sum, 7) + ' ', 148, 'ascii');
  return block;
}

const padding = (size: number) => Buffer.alloc((BLOCK - (size % BLOCK)) % BLOCK);

/** The archive's bytes; `written` receives each file's path, size and SHA-256 as it goes. */
export async function* tarStream(
  entries: Iterable<TarEntry>,
  written: WrittenEntry[],
): AsyncGenerator<Buffer> {
  const now = Date.now();
  for (const entry of entries) {
    if (entry.type === 'dir') {
      yield header(entry.path, 'dir', entry.mode, 0, now);
      continue;
    }
    let fd: number;
    try {
      fd = openSync(entry.absolute, 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue; // dropped meanwhile
      throw error;
    }
    try {
      const stat = fstatSync(fd);
      const size = stat.size;
      const hash = createHash('sha256');
      yield header(entry.path, 'file', entry.mode, size, stat.mtimeMs);
      let done = 0;
      while (done < size) {
        const chunk = Buffer.alloc(Math.min(CHUNK, size - done));
        const read = readSync(fd, chunk, 0, chunk.length, done);
        // Shrunk while copied: the rest stays zero, WAL replay truncates it again.
        if (read === 0) chunk.fill(0);
        hash.update(chunk);
        done += chunk.length;
        yield chunk;
      }
      yield padding(size);
      written.push({ path: entry.path, size, sha256: hash.digest('hex') });
    } finally {
      closeSync(fd);
    }
  }
  yield Buffer.alloc(BLOCK * 2);
}

class ByteReader {
  private buffered: Buffer[] = [];
  private length = 0;
  private readonly iterator: AsyncIterator<Buffer>;
  constructor(stream: Readable) {
    this.iterator = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  }
  /** Up to n bytes (fewer only at the end of the stream). */
  async take(n: number): Promise<Buffer> {
    while (this.length < n) {
      const next = await this.iterator.next();
      if (next.done) break;
      this.buffered.push(next.value);
      this.length += next.value.length;
    }
    const all = this.buffered.length === 1 ? this.buffered[0]! : Buffer.concat(this.buffered);
    const out = all.subarray(0, n);
    const rest = all.subarray(n);
    this.buffered = rest.length ? [rest] : [];
    this.length = rest.length;
    return out;
  }
}

const field = (block: Buffer, at: number, width: number) =>
  block
    .subarray(at, at + width)
    .toString('utf8')
    .replace(/\0.*$/s, '');

/**
 * Extracts an archive written by tarStream into `dir` (null: only checks it), checking each
 * file against `expected` (path → SHA-256); a missing, extra or different file throws.
 */
export async function extractTar(
  stream: Readable,
  dir: string | null,
  expected: ReadonlyMap<string, string>,
): Promise<number> {
  const reader = new ByteReader(stream);
  const seen = new Set<string>();
  for (;;) {
    const block = await reader.take(BLOCK);
    if (block.length < BLOCK) throw new Error('archive ends early');
    if (block.every((b) => b === 0)) break;
    const prefix = field(block, 345, 155);
    const name = (prefix ? `${prefix}/` : '') + field(block, 0, 100);
    const size = parseInt(field(block, 124, 12).trim() || '0', 8);
    const mode = parseInt(field(block, 100, 8).trim() || '600', 8);
    const relative = normalize(name.replace(/\/$/, ''));
    if (relative.startsWith('..') || relative.startsWith(sep))
      throw new Error(`unsafe path ${name}`);
    const target = dir === null ? null : join(dir, relative);
    if (field(block, 156, 1) === '5') {
      if (target) mkdirSync(target, { recursive: true, mode: mode || 0o700 });
      continue;
    }
    if (target) mkdirSync(dirname(target), { recursive: true, mode: 0o700 });
    const fd = target ? openSync(target, 'wx', mode || 0o600) : null;
    const hash = createHash('sha256');
    try {
      let left = size;
      while (left > 0) {
        const chunk = await reader.take(Math.min(CHUNK, left));
        if (chunk.length === 0) throw new Error(`archive ends inside ${name}`);
        hash.update(chunk);
        if (fd !== null) writeSync(fd, chunk);
        left -= chunk.length;
      }
      if (fd !== null) fsyncSync(fd);
    } finally {
      if (fd !== null) closeSync(fd);
    }
    await reader.take((BLOCK - (size % BLOCK)) % BLOCK);
    const digest = hash.digest('hex');
    if (expected.get(relative) !== digest)
      throw new Error(`${relative} differs from the manifest (corrupted or not in it)`);
    seen.add(relative);
  }
  const missing = [...expected.keys()].filter((path) => !seen.has(path));
  if (missing.length)
    throw new Error(`missing from the archive: ${missing.slice(0, 5).join(', ')}`);
  return seen.size;
}
