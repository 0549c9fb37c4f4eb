/** Operations jobs whose every run is recorded (decision 0064). */
export type OperationKind = 'backup' | 'verify-backup';

/** How one run ended: for the admin operations page, /metrics and the log. */
export type OperationOutcome = {
  startedAt: Date;
  finishedAt: Date;
  ok: boolean;
  /** The base backup taken or checked, when there was one. */
  backupId: string | null;
  /** What was done, or what went wrong (never personal data: paths, counts, error text). */
  detail: string;
};
