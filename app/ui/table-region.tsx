/**
 * The box a data table sits in. On a narrow screen a table keeps its words and numbers whole
 * and scrolls sideways here instead of the page (WCAG 1.4.10 allows this for data tables).
 * A scrolling box must be reachable by keyboard (tabIndex 0, so arrow keys scroll it) and
 * named, or a screen-reader user meets an unnamed stop: give the table's caption or heading
 * id (`labelledBy`) or, where the table has neither, a `label`.
 */
export function TableRegion({
  labelledBy,
  label,
  className,
  children,
}: {
  children: React.ReactNode;
  className?: string;
} & ({ labelledBy: string; label?: never } | { label: string; labelledBy?: never })) {
  return (
    <div
      className={className ? `table-wrap ${className}` : 'table-wrap'}
      role="region"
      // eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex -- a scrolling region must be focusable
      tabIndex={0}
      aria-labelledby={labelledBy}
      aria-label={label}
    >
      {children}
    </div>
  );
}
