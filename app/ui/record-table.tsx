import type { ReactNode } from 'react';
import { TableRegion } from './table-region.tsx';

/** One record as label/value rows (a resident, a target, a hand-over), in a named region. */
export function RecordTable({
  labelledBy,
  rows,
}: {
  labelledBy: string;
  rows: readonly (readonly [string, ReactNode])[];
}) {
  return (
    <TableRegion labelledBy={labelledBy}>
      <table>
        <tbody>
          {rows.map(([label, value]) => (
            <tr key={label}>
              <th scope="row">{label}</th>
              <td>{value}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableRegion>
  );
}
