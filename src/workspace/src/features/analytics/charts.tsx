/**
 * Hand-written SVG charts (no chart library). Geometry and colours are SVG attributes and CSS
 * classes only: the workspace's Content-Security-Policy allows no inline styles.
 */
import type { ScenarioReadiness } from '../../lib/api';
import { binLabel, formatRate } from './readiness-view';

const truncate = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** One horizontal bar per scenario: its pass rate, with the submissions and published counts. */
export function PassRateChart({ scenarios }: { scenarios: ScenarioReadiness[] }) {
  const labelWidth = 200;
  const barWidth = 420;
  const valueWidth = 260;
  const row = 34;
  const top = 24;
  const width = labelWidth + barWidth + valueWidth;
  const height = top + scenarios.length * row + 8;
  const summary =
    'Pass rate per scenario: ' +
    scenarios
      .map((s) =>
        s.passRate === null
          ? `${s.title}, nothing published (${s.submissions} submissions)`
          : `${s.title}, ${formatRate(s.passRate)} (${s.passed} of ${s.published} published passed, ${s.submissions} submissions)`,
      )
      .join('; ') +
    '.';
  return (
    <svg
      className="chart"
      role="img"
      aria-label={summary}
      viewBox={`0 0 ${width} ${height}`}
      width="100%"
      preserveAspectRatio="xMinYMin meet"
    >
      {[0, 0.25, 0.5, 0.75, 1].map((tick) => (
        <g key={tick}>
          <line
            className="chart-grid"
            x1={labelWidth + tick * barWidth}
            x2={labelWidth + tick * barWidth}
            y1={top - 6}
            y2={height - 8}
          />
          <text className="chart-tick" x={labelWidth + tick * barWidth} y={top - 10} textAnchor="middle">
            {tick * 100}%
          </text>
        </g>
      ))}
      {scenarios.map((s, i) => {
        const y = top + i * row;
        return (
          <g key={s.scenarioId} data-scenario={s.scenarioId}>
            <text className="chart-label" x={labelWidth - 8} y={y + row / 2 + 4} textAnchor="end">
              {truncate(s.title, 28)}
            </text>
            <rect
              className="chart-track"
              x={labelWidth}
              y={y + 6}
              width={barWidth}
              height={row - 12}
              rx={3}
            />
            {s.passRate !== null && (
              <rect
                className="chart-bar"
                x={labelWidth}
                y={y + 6}
                width={Math.max(s.passRate * barWidth, s.passRate > 0 ? 2 : 0)}
                height={row - 12}
                rx={3}
              />
            )}
            <text className="chart-value" x={labelWidth + barWidth + 8} y={y + row / 2 + 4}>
              {s.passRate === null
                ? `nothing published · ${s.submissions} submitted`
                : `${formatRate(s.passRate)} · ${s.passed}/${s.published} published · ${s.submissions} submitted`}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

/** Vertical bars: how many published submissions fall in each 10-point bin of the coach's score. */
export function ScoreHistogram({
  bins,
  of,
}: {
  bins: { from: number; to: number; count: number }[];
  of: string;
}) {
  const width = 640;
  const height = 220;
  const left = 36;
  const bottom = 30;
  const top = 22;
  const plotWidth = width - left - 8;
  const plotHeight = height - top - bottom;
  const max = Math.max(1, ...bins.map((b) => b.count));
  const step = plotWidth / bins.length;
  const total = bins.reduce((n, b) => n + b.count, 0);
  const nonEmpty = bins.filter((b) => b.count > 0);
  const summary =
    `Distribution of coach scores, ${of}: ${total} scored submissions` +
    (nonEmpty.length ? `; ${nonEmpty.map((b) => `${binLabel(b)}: ${b.count}`).join(', ')}` : '') +
    '.';
  const ticks = [...new Set([0, Math.ceil(max / 2), max])];
  return (
    <svg
      className="chart chart-histogram"
      role="img"
      aria-label={summary}
      viewBox={`0 0 ${width} ${height}`}
      width="100%"
      preserveAspectRatio="xMinYMin meet"
    >
      {ticks.map((tick) => {
        const y = top + plotHeight - (tick / max) * plotHeight;
        return (
          <g key={tick}>
            <line className="chart-grid" x1={left} x2={width - 8} y1={y} y2={y} />
            <text className="chart-tick" x={left - 6} y={y + 4} textAnchor="end">
              {tick}
            </text>
          </g>
        );
      })}
      {bins.map((bin, i) => {
        const h = (bin.count / max) * plotHeight;
        const x = left + i * step;
        return (
          <g key={bin.from} data-bin={bin.from} data-count={bin.count}>
            <rect
              className="chart-bar"
              x={x + 3}
              y={top + plotHeight - h}
              width={step - 6}
              height={h}
              rx={2}
            />
            {bin.count > 0 && (
              <text className="chart-value" x={x + step / 2} y={top + plotHeight - h - 4} textAnchor="middle">
                {bin.count}
              </text>
            )}
            <text className="chart-tick" x={x + step / 2} y={height - bottom + 16} textAnchor="middle">
              {binLabel(bin)}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
