import type { TFunction } from 'i18next';
import type { TargetLineProblem } from '../../targets/target-csv.ts';

/** Why a line was refused, in words (the line number is shown beside it). */
export function problemText(t: TFunction<'adminTargetImport'>, p: TargetLineProblem): string {
  const column = 'column' in p && p.column ? t(`field.${p.column}`) : '';
  switch (p.reason) {
    case 'date':
      return t(`problem.date_${p.detail}`);
    case 'duplicate':
      return t('problem.duplicate', { firstLine: p.firstLine });
    case 'identifier':
      return t('problem.identifier', { column: column || t('field.applicationId') });
    default:
      return t(`problem.${p.reason}`, { column });
  }
}
