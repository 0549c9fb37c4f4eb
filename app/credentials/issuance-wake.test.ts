import { describe, expect, it } from 'vitest';
import { announceIssued, issuanceWaiter } from './issuance-wake.server.ts';

describe('issuance wake-up', () => {
  it('wakes every waiter of a finished request at once, and no other', async () => {
    const a1 = issuanceWaiter('a', 5_000);
    const a2 = issuanceWaiter('a', 5_000);
    const b = issuanceWaiter('b', 30);
    const started = Date.now();
    announceIssued(['a']);
    expect(await a1.woken).toBe(true);
    expect(await a2.woken).toBe(true);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(await b.woken).toBe(false);
  });

  it('a cancelled waiter resolves false and is not woken later', async () => {
    const w = issuanceWaiter('c', 5_000);
    w.cancel();
    expect(await w.woken).toBe(false);
    announceIssued(['c']);
  });
});
