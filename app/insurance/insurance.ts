/**
 * Health-insurance qualification (保険証資格情報): the domain's types and pure helpers. No
 * server imports: pages format records in the browser too.
 */
export const COPAYMENT_PERCENTS = [10, 20, 30] as const;
export type CopaymentPercent = (typeof COPAYMENT_PERCENTS)[number];

export type Qualification = {
  residentId: string;
  insurerNumber: string;
  insurerName: string;
  /** 記号 (may be empty: some insurers issue numbers without one). */
  symbol: string;
  /** 番号 */
  number: string;
  /** 枝番, two digits, or null on older cards. */
  branch: string | null;
  /** 資格取得日, YYYY-MM-DD. */
  qualifiedFrom: string;
  /** 資格喪失日, YYYY-MM-DD: the first day without cover; null while it lasts. */
  qualifiedUntil: string | null;
  copaymentPercent: CopaymentPercent;
  updatedAt: Date;
};

/** On a given day a qualification has started and not yet been lost, starts later, or ended. */
export type QualificationState = 'current' | 'future' | 'ended';

/** `today` is the calendar date in Japan, YYYY-MM-DD. */
export function qualificationState(
  q: Pick<Qualification, 'qualifiedFrom' | 'qualifiedUntil'>,
  today: string,
): QualificationState {
  if (q.qualifiedFrom > today) return 'future';
  // 資格喪失日 is the day the cover ends: from that day on the card is no longer valid.
  if (q.qualifiedUntil !== null && q.qualifiedUntil <= today) return 'ended';
  return 'current';
}

const stateOrder: Record<QualificationState, number> = { current: 0, future: 1, ended: 2 };

/** Current first, then any that start later, then the history; newest first within each. */
export function sortQualifications<T extends Pick<Qualification, 'qualifiedFrom'>>(
  records: (T & { state: QualificationState })[],
): (T & { state: QualificationState })[] {
  return [...records].sort(
    (a, b) =>
      stateOrder[a.state] - stateOrder[b.state] ||
      (a.qualifiedFrom < b.qualifiedFrom ? 1 : a.qualifiedFrom > b.qualifiedFrom ? -1 : 0),
  );
}
