import type { BackupSettings } from './backup-settings.ts';
import type { BackupSummary, WalArchiveSummary } from './backup.service.server.ts';

/** "3 h 05 min", "2 d 4 h": how long ago, for an operator reading a terminal. */
export function formatAge(ms: number): string {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ${String(minutes % 60).padStart(2, '0')} min`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

const formatSize = (bytes: number) =>
  bytes >= 1e9 ? `${(bytes / 1e9).toFixed(2)} GB` : `${(bytes / 1e6).toFixed(1)} MB`;

/** The table `npm run db:backups` prints. */
export function describeBackups(
  backups: readonly BackupSummary[],
  wal: WalArchiveSummary,
  settings: BackupSettings,
  now: Date,
): string {
  const lines = [
    `Backups in ${settings.dir} (kept ${settings.retentionDays} days; daily at ${String(settings.time.hour).padStart(2, '0')}:${String(settings.time.minute).padStart(2, '0')} Asia/Tokyo${settings.enabled ? '' : '; backups are OFF'})`,
  ];
  lines.push(
    wal.lastArchivedAt
      ? `WAL archive: ${wal.files} files, ${formatSize(wal.bytes)}, last archived ${formatAge(now.getTime() - wal.lastArchivedAt.getTime())} ago`
      : 'WAL archive: empty',
  );
  if (backups.length === 0) return [...lines, 'no base backups yet: npm run db:backup'].join('\n');
  lines.push('id                  finished (UTC)            age          size       verified');
  for (const { manifest, bytes, verification } of backups) {
    const verified = !verification
      ? 'not verified'
      : verification.ok
        ? `yes${verification.restored ? ', restored' : ''} (${verification.at.slice(0, 16)}Z)`
        : `FAILED: ${verification.detail}`;
    lines.push(
      [
        manifest.id.padEnd(19),
        manifest.finishedAt.padEnd(25),
        formatAge(now.getTime() - Date.parse(manifest.finishedAt)).padEnd(12),
        formatSize(bytes).padEnd(10),
        `${verified}${manifest.encrypted ? ', encrypted' : ''}`,
      ].join(' '),
    );
  }
  return lines.join('\n');
}
