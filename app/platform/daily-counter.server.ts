import type { Db } from '../../db/connection.ts';

/** How often a counter adds what it gathered: no request waits for a write. */
const WRITE_EVERY_MS = 5_000;

export type DailyCounter<K> = {
  /** Counts one (or `n`) of `key` in memory. */
  count(db: Db, key: K, n?: number): void;
  /**
   * Adds what this process counted for `db` in one write; counts whose write failed are kept
   * for the next one (and the error thrown).
   */
  write(db: Db): Promise<void>;
};

/**
 * Counts kept per day (and whatever else the key holds) in memory and added to the database
 * every 5 s in one statement — page views (decision 0065), requests per day (decision 0067).
 * A process that dies loses at most those seconds of counts; two processes each add theirs,
 * so `write` must add (an upsert adding `excluded`), never overwrite. `id` names a key.
 */
export function dailyCounter<K>(options: {
  id: (key: K) => string;
  write: (db: Db, rows: { key: K; count: number }[]) => Promise<void>;
}): DailyCounter<K> {
  const pending = new Map<Db, Map<string, { key: K; count: number }>>();
  let timer: ReturnType<typeof setInterval> | undefined;

  const keep = (db: Db, key: K, n: number) => {
    let rows = pending.get(db);
    if (!rows) pending.set(db, (rows = new Map()));
    const id = options.id(key);
    const seen = rows.get(id);
    if (seen) seen.count += n;
    else rows.set(id, { key, count: n });
  };

  const write = async (db: Db) => {
    const rows = pending.get(db);
    if (!rows || rows.size === 0) return;
    pending.delete(db);
    try {
      await options.write(db, [...rows.values()]);
    } catch (error) {
      for (const row of rows.values()) keep(db, row.key, row.count);
      throw error;
    }
  };

  const writeAll = async () => {
    for (const db of [...pending.keys()]) await write(db).catch(() => undefined);
  };

  return {
    count(db, key, n = 1) {
      keep(db, key, n);
      timer ??= setInterval(() => void writeAll(), WRITE_EVERY_MS).unref();
    },
    write,
  };
}
