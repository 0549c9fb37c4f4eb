/**
 * Registration ids are random (version 4) UUIDs, so cutting the id space into equal ranges
 * cuts the registrations into batches of nearly equal size without reading them first.
 * Batch i covers lo < id <= hi.
 */
const SPACE = 1n << 128n;

export function uuidRanges(count: number): { lo: string; hi: string }[] {
  const ranges: { lo: string; hi: string }[] = [];
  const n = BigInt(count);
  for (let i = 0n; i < n; i++) {
    const lo = (SPACE * i) / n;
    const hi = i === n - 1n ? SPACE - 1n : (SPACE * (i + 1n)) / n;
    ranges.push({ lo: toUuid(lo), hi: toUuid(hi) });
  }
  return ranges;
}

function toUuid(value: bigint): string {
  const hex = value.toString(16).padStart(32, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
