import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  randomBytes,
  type Hash,
} from 'node:crypto';
import {
  createReadStream,
  createWriteStream,
  openSync,
  readSync,
  closeSync,
  fstatSync,
} from 'node:fs';
import { PassThrough, Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { constants, createZstdCompress, createZstdDecompress } from 'node:zlib';

/**
 * How every stored backup file is written (decision 0061): zstd with its content checksum,
 * then, when encryption is on, AES-256-GCM with a random 96-bit nonce per file and the file's
 * name as additional data (a file renamed into another's place fails to open). Layout of an
 * encrypted file: MAGIC (8) · nonce (12) · ciphertext · tag (16).
 * Node built-ins only: PostgreSQL's archive_command and restore_command run this for every
 * WAL segment (scripts/wal-archive.ts), so it must start fast and need no packages.
 */
const MAGIC = Buffer.from('MDGBAK01');
const NONCE = 12;
const TAG = 16;

/** The purpose name the backup key is derived under (Secrets.key). */
export const BACKUP_KEY_PURPOSE = 'backup-encryption';

/** A short public fingerprint of a key: a backup names the key it needs without revealing it. */
export function keyId(key: Buffer): string {
  return createHmac('sha256', key).update('madoguchi backup key id').digest('hex').slice(0, 16);
}

export class WrongBackupKeyError extends Error {}

function compressor() {
  return createZstdCompress({
    params: {
      [constants.ZSTD_c_compressionLevel]: 3,
      [constants.ZSTD_c_checksumFlag]: 1,
    },
  });
}

function encryptor(key: Buffer, name: string): Transform {
  const nonce = randomBytes(NONCE);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(Buffer.from(name, 'utf8'));
  let started = false;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      if (!started) {
        started = true;
        this.push(Buffer.concat([MAGIC, nonce]));
      }
      done(null, cipher.update(chunk));
    },
    flush(done) {
      if (!started) this.push(Buffer.concat([MAGIC, nonce]));
      this.push(cipher.final());
      done(null, cipher.getAuthTag());
    },
  });
}

function hashing(hash: Hash, counter: { bytes: number }): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      counter.bytes += chunk.length;
      done(null, chunk);
    },
  });
}

export type StoredFile = { size: number; sha256: string };

/**
 * Compresses (and encrypts, given a key) `source` into the file at `target`; `name` is the
 * name the file is known by in the backup (bound into the encryption). Returns the stored
 * file's size and SHA-256, for the manifest.
 */
export async function encodeToFile(
  source: Readable,
  target: string,
  options: { key?: Buffer; name: string },
): Promise<StoredFile> {
  const hash = createHash('sha256');
  const counter = { bytes: 0 };
  const out = createWriteStream(target, { flags: 'wx', mode: 0o640, flush: true });
  const stages: (Readable | Transform)[] = [source, compressor()];
  if (options.key) stages.push(encryptor(options.key, options.name));
  await pipeline([...stages, hashing(hash, counter), out]);
  return { size: counter.bytes, sha256: hash.digest('hex') };
}

/** Opens a stored file for reading: its original bytes, checked as they stream. */
export function decodeFile(path: string, options: { key?: Buffer; name: string }): Readable {
  const fd = openSync(path, 'r');
  const header = Buffer.alloc(MAGIC.length + NONCE);
  const size = fstatSync(fd).size;
  readSync(fd, header, 0, header.length, 0);
  const encrypted = size >= header.length + TAG && header.subarray(0, MAGIC.length).equals(MAGIC);
  if (encrypted !== Boolean(options.key)) {
    closeSync(fd);
    throw new Error(
      encrypted
        ? `${options.name} is encrypted: set MADOGUCHI_BACKUP_ENCRYPT=true and the installation's secret`
        : `${options.name} is not encrypted, but an encrypted file was expected`,
    );
  }
  const output = new PassThrough();
  if (!options.key) {
    closeSync(fd);
    const last = createZstdDecompress();
    pipeline(createReadStream(path), last).catch((e: Error) =>
      output.destroy(new Error(`${options.name}: ${e.message}`)),
    );
    // pipe(), not pipeline: the output ends with the error said in our words, not the raw one.
    last.pipe(output);
    return output;
  }
  const tag = Buffer.alloc(TAG);
  readSync(fd, tag, 0, TAG, size - TAG);
  closeSync(fd);
  const decipher = createDecipheriv('aes-256-gcm', options.key, header.subarray(MAGIC.length));
  decipher.setAAD(Buffer.from(options.name, 'utf8'));
  decipher.setAuthTag(tag);
  const body =
    size - TAG > header.length
      ? createReadStream(path, { start: header.length, end: size - TAG - 1 })
      : PassThroughEmpty();
  const last = createZstdDecompress();
  last.pipe(output);
  pipeline(body, decipher, last).catch((e: Error) =>
    output.destroy(
      /authenticate/i.test(e.message)
        ? new WrongBackupKeyError(
            `${options.name} does not open with this key (a different installation secret, or the file was altered)`,
          )
        : new Error(`${options.name}: ${e.message}`),
    ),
  );
  return output;
}

function PassThroughEmpty(): Readable {
  const empty = new PassThrough();
  empty.end();
  return empty;
}

/** SHA-256 and size of a file as stored. */
export async function hashFile(path: string): Promise<StoredFile> {
  const hash = createHash('sha256');
  const counter = { bytes: 0 };
  await pipeline(createReadStream(path), hashing(hash, counter), new PassThrough().resume());
  return { size: counter.bytes, sha256: hash.digest('hex') };
}
