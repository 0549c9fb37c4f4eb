/**
 * Opens over time as a bar chart drawn on the server: plain SVG, no script, no chart library.
 * The SVG is one image (role="img") named by the visible caption beside it; the same numbers
 * are in a data table next to it, which screen readers and readers without CSS use.
 */
import { useTranslation } from '../i18n/react.tsx';
import { intlLocale, type Locale } from '../i18n/locales.ts';
import type { OpensRow } from './delivery-view.ts';
import { TableRegion } from '../ui/table-region.tsx';

/*
 * Colours are attributes, not CSS, so the chart looks the same with styles off. DADS tokens:
 * blue-900 bars (12.6:1 on white), solid-gray-536 axes and grid (4.5:1), gray-900 text.
 * The bars differ only in height, so nothing depends on telling colours apart.
 */
const BAR = '#0017c1';
const AXIS = '#767676';
const TEXT = '#1a1a1a';

/** Drawing units; the SVG scales to its box through its viewBox. */
const WIDTH = 400;
const HEIGHT = 250;
const MARGIN = { top: 34, right: 12, bottom: 56, left: 56 };
/** Small drawings keep the text readable when the chart shrinks to a phone's width. */
const FONT = 14;
const MAX_BAR_WIDTH = 36;
/** At most this many tick labels under the bars; the table has every row. */
const MAX_X_TICKS = 5;
/** Values are written above the bars when there are this few. */
const MAX_VALUE_LABELS = 14;

type ChartBar = {
  key: string;
  /** Under the bar (every few bars). */
  tick: string;
  /** In the bar's tooltip. */
  label: string;
  value: number;
  valueText: string;
};

/** 0 and round steps (1, 2, 5 × 10ⁿ, whole numbers) up to at least `max`. */
export function yTicks(max: number): number[] {
  if (max <= 0) return [0, 1];
  const rough = max / 4;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = Math.max(
    1,
    [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= rough) ?? 10 * magnitude,
  );
  const top = Math.ceil(max / step) * step;
  return Array.from({ length: Math.round(top / step) + 1 }, (_, i) => i * step);
}

function BarChart({
  id,
  captionId,
  title,
  description,
  xLabel,
  yLabel,
  bars,
  locale,
}: {
  id: string;
  /** The visible caption that names the chart (aria-labelledby). */
  captionId: string;
  title: string;
  description: string;
  xLabel: string;
  yLabel: string;
  bars: readonly ChartBar[];
  locale: Locale;
}) {
  const number = new Intl.NumberFormat(intlLocale[locale]);
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const baseline = MARGIN.top + plotHeight;
  const ticks = yTicks(Math.max(0, ...bars.map((b) => b.value)));
  const top = ticks.at(-1) ?? 1;
  const y = (value: number) => baseline - (value / top) * plotHeight;
  const band = plotWidth / Math.max(1, bars.length);
  const barWidth = Math.min(MAX_BAR_WIDTH, Math.max(1, band * 0.7));
  const every = Math.ceil(bars.length / MAX_X_TICKS);
  const center = (i: number) => MARGIN.left + band * i + band / 2;
  return (
    <svg
      className="chart__svg"
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      role="img"
      aria-labelledby={captionId}
      aria-describedby={`${id}-desc`}
      fontSize={FONT}
      fill={TEXT}
    >
      <title id={`${id}-title`}>{title}</title>
      <desc id={`${id}-desc`}>{description}</desc>
      <g className="chart__y-axis">
        {ticks.map((tick) => (
          <g key={tick}>
            <line
              x1={MARGIN.left}
              x2={WIDTH - MARGIN.right}
              y1={y(tick)}
              y2={y(tick)}
              stroke={AXIS}
              strokeWidth={tick === 0 ? 1.5 : 0.75}
              strokeDasharray={tick === 0 ? undefined : '3 4'}
            />
            <text x={MARGIN.left - 8} y={y(tick)} dy="0.35em" textAnchor="end">
              {number.format(tick)}
            </text>
          </g>
        ))}
        <line x1={MARGIN.left} x2={MARGIN.left} y1={MARGIN.top} y2={baseline} stroke={AXIS} />
        {/* Above the axis, not turned sideways: easier to read, and long labels fit. */}
        <text x={4} y={FONT + 2}>
          {yLabel}
        </text>
      </g>
      <g className="chart__bars">
        {bars.map((bar, i) => (
          <rect
            key={bar.key}
            className="chart__bar"
            x={center(i) - barWidth / 2}
            y={y(bar.value)}
            width={barWidth}
            height={baseline - y(bar.value)}
            fill={BAR}
          >
            <title>{`${bar.label}: ${bar.valueText}`}</title>
          </rect>
        ))}
      </g>
      {bars.length <= MAX_VALUE_LABELS ? (
        <g className="chart__values">
          {bars.map((bar, i) => (
            <text key={bar.key} x={center(i)} y={y(bar.value) - 6} textAnchor="middle">
              {bar.valueText}
            </text>
          ))}
        </g>
      ) : null}
      <g className="chart__x-axis">
        {bars.map((bar, i) =>
          i % every === 0 ? (
            <g key={bar.key}>
              <line x1={center(i)} x2={center(i)} y1={baseline} y2={baseline + 5} stroke={AXIS} />
              <text x={center(i)} y={baseline + 8} dy="0.9em" textAnchor="middle">
                {bar.tick}
              </text>
            </g>
          ) : null,
        )}
        <text x={MARGIN.left + plotWidth / 2} y={HEIGHT - 6} textAnchor="middle">
          {xLabel}
        </text>
      </g>
    </svg>
  );
}

/** The chart of a notice's opens and, beside it, the table with the same numbers. */
export function OpensOverTime({
  rows,
  step,
  locale,
  total,
}: {
  rows: readonly OpensRow[];
  step: 'day' | 'week';
  locale: Locale;
  /** The opened count, formatted. */
  total: string;
}) {
  const { t } = useTranslation('delivery');
  const peak = rows.reduce<OpensRow | null>(
    (best, row) => (row.opens > (best?.opens ?? 0) ? row : best),
    null,
  );
  const span = { first: rows[0]?.label ?? '', last: rows.at(-1)?.label ?? '' };
  const description = peak
    ? t(`chart.desc.${step}`, { ...span, total, peak: peak.label, peakOpens: peak.opensText })
    : t(`chart.descNone.${step}`, span);
  return (
    <div className="chart-layout">
      <figure className="chart">
        <figcaption id="opens-chart-caption" className="chart__caption">
          {t(`chart.caption.${step}`)}
        </figcaption>
        <BarChart
          id="opens-chart"
          captionId="opens-chart-caption"
          title={t(`chart.caption.${step}`)}
          description={description}
          xLabel={t(`chart.xAxis.${step}`)}
          yLabel={t('chart.yAxis')}
          locale={locale}
          bars={rows.map((r) => ({
            key: r.start,
            tick: r.tick,
            label: r.label,
            value: r.opens,
            valueText: r.opensText,
          }))}
        />
      </figure>
      <TableRegion className="chart-layout__table" labelledBy="opens-table-caption">
        <table className="chart-table">
          <caption id="opens-table-caption">{t(`chart.tableCaption.${step}`)}</caption>
          <thead>
            <tr>
              <th scope="col">{t(`chart.period.${step}`)}</th>
              <th scope="col" className="numeric">
                {t('chart.opens')}
              </th>
              <th scope="col" className="numeric">
                {t('chart.cumulative')}
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.start}>
                <th scope="row">
                  <time dateTime={r.start}>{r.label}</time>
                </th>
                <td className="numeric">{r.opensText}</td>
                <td className="numeric">{r.cumulativeText}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableRegion>
    </div>
  );
}
