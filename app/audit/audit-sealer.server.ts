import type { Db } from '../../db/connection.ts';
import type { Logger } from '../platform/logger.server.ts';
import { sealAudit } from './audit.service.server.ts';

/**
 * Every Madoguchi process (web or worker) seals the audit entries that have committed, a few
 * times a second: entries join the hash chain within about `intervalMs` of their commit,
 * whichever process wrote them. Several processes may run this at once; audit_seal() lets one
 * of them seal and the others return at once.
 */
export function startAuditSealer(
  db: Db,
  log: Logger,
  { intervalMs = 250 }: { intervalMs?: number } = {},
): { stop(): Promise<void> } {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;
  const tick = () => {
    running = sealAudit(db)
      .then(({ sealed }) => {
        if (sealed > 0) log.debug({ sealed }, 'audit entries sealed');
      })
      .catch((error: unknown) => log.warn({ err: error }, 'audit sealing failed; retrying'))
      .finally(() => {
        running = undefined;
        if (!stopped) timer = setTimeout(tick, intervalMs);
      });
  };
  timer = setTimeout(tick, intervalMs);
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
      // What this process wrote last is sealed before its pool closes.
      await sealAudit(db).catch((error: unknown) =>
        log.warn({ err: error }, 'audit sealing at stop failed; another process seals it'),
      );
    },
  };
}
