/**
 * The staff calendar's pure rules (safe for the browser): opening spans written as text and
 * what a map image's bytes say it is (the slots a week yields: working-days.server.ts).
 * Days are Asia/Tokyo calendar dates (YYYY-MM-DD); times are HH:MM.
 */

export const SLOT_MINUTES = [15, 20, 30, 45, 60, 90, 120] as const;
export const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;
export const MAP_MAX_BYTES = 2 * 1024 * 1024;
export type MapContentType = 'image/png' | 'image/jpeg' | 'image/webp';

export type Span = { opens: string; closes: string };

export const minutesOf = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
export const timeOf = (minutes: number) =>
  `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

/**
 * "9:00-12:00, 13:00-17:00" (full-width digits, 〜 and 、 too) → sorted spans, or null when
 * a span is malformed, ends before it starts, or overlaps another.
 */
export function parseSpans(text: string): Span[] | null {
  const plain = text
    .normalize('NFKC')
    .replace(/[〜~–—－]/g, '-')
    .replace(/[、;]/g, ',')
    .trim();
  if (plain === '') return [];
  const spans: Span[] = [];
  for (const part of plain.split(/[,\s]+(?=\d)/)) {
    const m = /^(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})$/.exec(part.replace(/,$/, '').trim());
    if (!m) return null;
    const [opens, closes] = [Number(m[1]) * 60 + Number(m[2]), Number(m[3]) * 60 + Number(m[4])];
    if (Number(m[2]) > 59 || Number(m[4]) > 59 || closes > 24 * 60 || closes <= opens) return null;
    spans.push({ opens: timeOf(opens), closes: timeOf(closes) });
  }
  spans.sort((a, b) => a.opens.localeCompare(b.opens));
  for (let i = 1; i < spans.length; i++) if (spans[i]!.opens < spans[i - 1]!.closes) return null;
  return spans;
}

export const spansText = (spans: readonly Span[]) =>
  spans.map((s) => `${s.opens.slice(0, 5)}-${s.closes.slice(0, 5)}`).join(', ');

export type PlannedSlot = { day: string; startsAt: Date; endsAt: Date };

/** What the bytes are, whatever the browser said: PNG, JPEG or WebP by their signatures. */
export function sniffImage(bytes: Uint8Array): MapContentType | null {
  const starts = (sig: number[], at = 0) => sig.every((b, i) => bytes[at + i] === b);
  if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (starts([0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (starts([0x52, 0x49, 0x46, 0x46]) && starts([0x57, 0x45, 0x42, 0x50], 8)) return 'image/webp';
  return null;
}

/**
 * Stable ids for a rule's questions, so a stored answer keeps its meaning: a submitted id is
 * kept only when the saved rule has a question with it (and no earlier row took it); every
 * other question gets a fresh random id, never one saved, kept or given in this save. An id
 * of a question removed long ago is not known here: random ids make meeting it again as
 * unlikely as guessing 48 bits.
 */
export function questionIds<Q extends { id: string }>(
  questions: readonly Q[],
  savedIds: readonly string[],
  fresh: () => string,
): Q[] {
  const saved = new Set(savedIds);
  const used = new Set(savedIds);
  const kept = new Set<string>();
  const keep = questions.map((q) => {
    if (!saved.has(q.id) || kept.has(q.id)) return false;
    kept.add(q.id);
    return true;
  });
  return questions.map((q, i) => {
    if (keep[i]) return q;
    let id = fresh();
    while (used.has(id)) id = fresh();
    used.add(id);
    return { ...q, id };
  });
}
