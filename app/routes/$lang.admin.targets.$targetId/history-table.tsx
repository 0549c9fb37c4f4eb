import { useTranslation } from '../../i18n/react.tsx';
import { TableRegion } from '../../ui/table-region.tsx';
import { userText } from '../../ui/user-text.ts';
import { MarkJapanese } from '../../ui/mark-japanese.tsx';
import { PICKUP_STATES, type PickupState } from '../../targets/target.ts';

type Move = {
  fromState: string;
  toState: string;
  movedAt: string;
  movedBy: string | null;
  reason: string | null;
};

const isState = (value: string): value is PickupState =>
  (PICKUP_STATES as readonly string[]).includes(value);

/** The import, then every change of state, oldest first, with who and when. */
export function HistoryTable({ moves, importedAt }: { moves: Move[]; importedAt: string }) {
  const { t } = useTranslation('adminTargets');
  const state = (value: string) => (isState(value) ? t(`states.${value}`) : value);
  const none = <span className="hint">{t('detail.none')}</span>;
  return (
    <TableRegion labelledBy="history-title">
      <table>
        <thead>
          <tr>
            <th scope="col">{t('detail.historyColumns.at')}</th>
            <th scope="col">{t('detail.historyColumns.from')}</th>
            <th scope="col">{t('detail.historyColumns.to')}</th>
            <th scope="col">{t('detail.historyColumns.by')}</th>
            <th scope="col">{t('detail.historyColumns.reason')}</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <th scope="row">{importedAt}</th>
            <td>{none}</td>
            <td>{t('detail.imported')}</td>
            <td>{none}</td>
            <td>{none}</td>
          </tr>
          {moves.map((move, i) => (
            <tr key={i}>
              <th scope="row">{move.movedAt}</th>
              <td>{state(move.fromState)}</td>
              <td>{state(move.toState)}</td>
              <td>
                {move.movedBy ? (
                  <MarkJapanese text={userText(move.movedBy)} />
                ) : (
                  t('detail.byUnknown')
                )}
              </td>
              <td>{move.reason ? <MarkJapanese text={userText(move.reason)} /> : none}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableRegion>
  );
}
