import { describe, expect, it } from 'vitest';
import { pooledRandomBytes } from './random-pool.server.ts';

describe('pooled random bytes', () => {
  it('never hands out the same bytes twice, across refills, and keeps them when the pool moves on', () => {
    const seen = new Set<string>();
    const first = pooledRandomBytes(32);
    const copy = Buffer.from(first);
    for (let i = 0; i < 5_000; i++) {
      const bytes = pooledRandomBytes(32);
      expect(bytes).toHaveLength(32);
      seen.add(bytes.toString('hex'));
    }
    expect(seen.size).toBe(5_000);
    // 160 KB later (ten refills), the first answer is unchanged: a copy, not a view.
    expect(first.equals(copy)).toBe(true);
  });

  it('looks random: every byte value turns up, none far too often', () => {
    const counts = new Array<number>(256).fill(0);
    for (let i = 0; i < 4_096; i++) for (const b of pooledRandomBytes(16)) counts[b]!++;
    // 65,536 bytes: 256 expected per value; a fair source stays well within 150–370.
    expect(Math.min(...counts)).toBeGreaterThan(150);
    expect(Math.max(...counts)).toBeLessThan(370);
  });

  it('serves sizes beyond the pool directly', () => {
    expect(pooledRandomBytes(4096)).toHaveLength(4096);
    expect(pooledRandomBytes(0)).toHaveLength(0);
  });
});
