import type { HourBucket } from "../../../shared-types/console-payloads.js";
import { useI18n } from "../lib/i18n.js";

const WIDTH = 720;
const HEIGHT = 200;
const PAD = { left: 32, right: 8, top: 10, bottom: 24 };

/** Today's calls per hour (Europe/Brussels) as inline SVG bars: offered, with answered and abandoned inside. */
export function HourlyChart({ buckets }: { buckets: HourBucket[] }) {
  const { t } = useI18n();
  const max = Math.max(1, ...buckets.map((b) => b.offered));
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const slot = plotW / 24;
  const y = (value: number) => PAD.top + plotH - (value / max) * plotH;
  const ticks = [0, Math.ceil(max / 2), max];
  return (
    <figure class="chart" data-testid="hourly-chart">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={t("supervisor.chart")}>
        {ticks.map((tick) => (
          <g>
            <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y(tick)} y2={y(tick)} class="grid-line" />
            <text x={PAD.left - 4} y={y(tick) + 4} text-anchor="end" class="axis">
              {tick}
            </text>
          </g>
        ))}
        {buckets.map((bucket) => {
          const x = PAD.left + bucket.hour * slot;
          return (
            <g data-hour={bucket.hour}>
              <title>{t("supervisor.chartTip", { hour: bucket.hour, offered: bucket.offered, answered: bucket.answered, abandoned: bucket.abandoned })}</title>
              <rect x={x + slot * 0.1} width={slot * 0.8} y={y(bucket.offered)} height={plotH + PAD.top - y(bucket.offered)} class="bar offered" />
              <rect x={x + slot * 0.2} width={slot * 0.3} y={y(bucket.answered)} height={plotH + PAD.top - y(bucket.answered)} class="bar answered" />
              <rect x={x + slot * 0.5} width={slot * 0.3} y={y(bucket.abandoned)} height={plotH + PAD.top - y(bucket.abandoned)} class="bar abandoned" />
              {bucket.hour % 3 === 0 && (
                <text x={x + slot / 2} y={HEIGHT - 6} text-anchor="middle" class="axis">
                  {String(bucket.hour).padStart(2, "0")}
                </text>
              )}
            </g>
          );
        })}
      </svg>
      <figcaption>
        <span class="legend offered" /> {t("supervisor.offered")} <span class="legend answered" /> {t("supervisor.answered")} <span class="legend abandoned" /> {t("supervisor.abandoned")}
      </figcaption>
    </figure>
  );
}
