import { describe, expect, it } from 'vitest';
import type { Db } from '../../db/connection.ts';
import { dailyCounter } from './daily-counter.server.ts';

describe('a daily counter', () => {
  it('adds up in memory per database and key, writes once, and keeps counts a failed write lost', async () => {
    const written: { key: { day: string }; count: number }[][] = [];
    let fail = true;
    const counter = dailyCounter<{ day: string }>({
      id: (k) => k.day,
      write: async (_db, rows) => {
        if (fail) throw new Error('database away');
        written.push(rows.map((r) => ({ ...r })));
      },
    });
    // Only its identity matters to the counter: which pool the counts go to.
    const one = {} as Db;
    const two = {} as Db;
    counter.count(one, { day: '2026-12-03' });
    counter.count(one, { day: '2026-12-03' }, 2);
    counter.count(one, { day: '2026-12-04' });
    counter.count(two, { day: '2026-12-03' });
    await expect(counter.write(one)).rejects.toThrow('database away');
    counter.count(one, { day: '2026-12-03' });
    fail = false;
    await counter.write(one);
    await counter.write(one); // nothing pending: no write
    expect(written).toEqual([
      [
        { key: { day: '2026-12-03' }, count: 4 },
        { key: { day: '2026-12-04' }, count: 1 },
      ],
    ]);
    await counter.write(two);
    expect(written[1]).toEqual([{ key: { day: '2026-12-03' }, count: 1 }]);
  });
});
