import { createHash } from 'node:crypto';
import {
  closeSync,
  createReadStream,
  createWriteStream,
  existsSync,
  fsyncSync,
  linkSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { decodeFile, encodeToFile } from './backup-codec.server.ts';

/**
 * The two commands PostgreSQL runs for continuous archiving (decision 0061), as functions:
 * scripts/wal-archive.ts and scripts/wal-restore.ts only parse their arguments. Node
 * built-ins only, since PostgreSQL starts one process per WAL segment.
 */

/** Names an archived segment (or history/backup file) is stored under. */
export const archivedName = (walName: string, encrypted: boolean) =>
  `${walName}.zst${encrypted ? '.enc' : ''}`;

export function readKeyFile(path: string | undefined): Buffer | undefined {
  if (!path) return undefined;
  const key = Buffer.from(readFileSync(path, 'utf8').trim(), 'hex');
  if (key.length !== 32) throw new Error(`${path}: not a 32-byte key`);
  return key;
}

async function sha256Of(stream: Readable): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of stream) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

function syncDir(dir: string) {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * archive_command: stores `source` (a WAL file, %p) as `name` (%f) in `archiveDir`. A file of
 * that name already archived with the same content is success (PostgreSQL may ask again after
 * a crash); with different content it is an error, never an overwrite. The new file appears
 * under its final name only complete and flushed (written aside, then hard-linked, which
 * fails if the name exists).
 */
export async function archiveWal(
  source: string,
  archiveDir: string,
  name: string,
  key: Buffer | undefined,
): Promise<'archived' | 'already archived'> {
  for (const existingName of [archivedName(name, false), archivedName(name, true)]) {
    const existing = join(archiveDir, existingName);
    if (!existsSync(existing)) continue;
    const encrypted = existingName.endsWith('.enc');
    if (encrypted && !key) throw new Error(`${existingName} exists encrypted; no key to compare`);
    const [old, now] = await Promise.all([
      sha256Of(decodeFile(existing, { key: encrypted ? key : undefined, name })),
      sha256Of(createReadStream(source)),
    ]);
    if (old === now) return 'already archived';
    throw new Error(`${existingName} is already archived with different content; not overwritten`);
  }
  const target = join(archiveDir, archivedName(name, Boolean(key)));
  const temporary = join(archiveDir, `.${basename(target)}.${process.pid}.tmp`);
  try {
    await encodeToFile(createReadStream(source), temporary, { key, name });
    linkSync(temporary, target);
  } finally {
    rmSync(temporary, { force: true });
  }
  syncDir(archiveDir);
  return 'archived';
}

/**
 * restore_command: writes archived `name` to `target` (%p). Returns false when the archive
 * has no such file, which PostgreSQL expects for the end of the archive and for history
 * files it probes.
 */
export async function restoreWal(
  archiveDir: string,
  name: string,
  target: string,
  key: Buffer | undefined,
): Promise<boolean> {
  const encryptedPath = join(archiveDir, archivedName(name, true));
  const plainPath = join(archiveDir, archivedName(name, false));
  const path = existsSync(encryptedPath) ? encryptedPath : existsSync(plainPath) ? plainPath : null;
  if (!path) return false;
  const temporary = join(dirname(target), `.${basename(target)}.restoring`);
  await pipeline(
    decodeFile(path, { key: path === encryptedPath ? key : undefined, name }),
    createWriteStream(temporary, { mode: 0o600 }),
  );
  renameSync(temporary, target);
  return true;
}
