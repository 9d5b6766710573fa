import { navigate } from '../../../lib/router';
import { buildChart, chartSummary, type ProgressPoint } from '../chart';

/**
 * Score, words per minute and fillers per 100 words over the latest analysed attempts: three stacked
 * panels sharing the x axis (attempts in order, labelled by date), hand-drawn in SVG. Each dot opens
 * that attempt's review.
 */
export function ProgressChart({ points, passMark }: { points: ProgressPoint[]; passMark: number | null }) {
  const chart = buildChart(points, { passMark });
  const summary = chartSummary(points);
  const axisY = chart.panels[chart.panels.length - 1];
  const xAxisY = axisY ? axisY.top + axisY.height : chart.height;
  return (
    <svg
      className="progress-chart"
      role="img"
      aria-label={summary}
      viewBox={`0 0 ${chart.width} ${chart.height}`}
      preserveAspectRatio="xMidYMid meet"
    >
      {chart.panels.map((panel) => (
        <g key={panel.key} className={`chart-panel chart-${panel.key}`}>
          <text x={chart.plotLeft} y={panel.top - 8} className="chart-title">
            {panel.label}
          </text>
          {panel.band &&
            (panel.band.y1 === panel.band.y2 ? (
              <g className="chart-passmark">
                <line x1={chart.plotLeft} x2={chart.plotRight} y1={panel.band.y1} y2={panel.band.y1} />
                <text x={chart.plotRight} y={panel.band.y1 - 4} textAnchor="end">
                  {panel.band.label}
                </text>
              </g>
            ) : (
              <g className="chart-band">
                <rect
                  x={chart.plotLeft}
                  width={chart.plotRight - chart.plotLeft}
                  y={Math.min(panel.band.y1, panel.band.y2)}
                  height={Math.abs(panel.band.y2 - panel.band.y1)}
                >
                  <title>{panel.band.label}</title>
                </rect>
                <text x={chart.plotRight} y={Math.min(panel.band.y1, panel.band.y2) + 12} textAnchor="end">
                  {panel.band.label}
                </text>
              </g>
            ))}
          <line
            className="chart-axis"
            x1={chart.plotLeft}
            x2={chart.plotLeft}
            y1={panel.top}
            y2={panel.top + panel.height}
          />
          {panel.yTicks.map((t) => (
            <g key={t.value} className="chart-ytick">
              <line x1={chart.plotLeft - 4} x2={chart.plotRight} y1={t.y} y2={t.y} />
              <text x={chart.plotLeft - 8} y={t.y + 4} textAnchor="end">
                {t.value}
              </text>
            </g>
          ))}
          <path className="chart-line" d={panel.path} />
          {panel.dots.map((d) => (
            <circle
              key={d.attemptId}
              className="chart-dot"
              cx={d.x}
              cy={d.y}
              r={4}
              onClick={() => navigate({ name: 'review', attemptId: d.attemptId })}
            >
              <title>{`${d.title} (click to open the review)`}</title>
            </circle>
          ))}
        </g>
      ))}
      <line className="chart-axis" x1={chart.plotLeft} x2={chart.plotRight} y1={xAxisY} y2={xAxisY} />
      {chart.xTicks.map((t, i) => (
        <text key={i} className="chart-xtick" x={t.x} y={xAxisY + 18} textAnchor="middle">
          {t.label}
        </text>
      ))}
    </svg>
  );
}
