import * as echarts from 'echarts';

const LABELS = ['1分', '2分', '3分', '4分', '5分'];
const COLOURS = ['#c0392b', '#e67e22', '#f1c40f', '#7cb342', '#2e7d32'];

/**
 * One question's distribution of 1–5 ratings as an SVG bar chart, drawn on the server by ECharts'
 * SSR renderer (no canvas, no script on the page): the offices know ECharts, and the page stays printable.
 * The page gives the figure its text alternative ({@link ratingChartText}).
 */
export function ratingChartSvg(counts: number[], width = 480, height = 220): string {
  const key = `${width}x${height}:${counts.join(',')}`;
  const hit = drawn.get(key);
  if (hit !== undefined) return hit;
  const svg = draw(counts, width, height);
  if (drawn.size >= CACHE_SIZE) drawn.delete(drawn.keys().next().value!);
  drawn.set(key, svg);
  return svg;
}

/**
 * Drawn charts by their counts: the same counts give the same SVG, and drawing one costs several
 * milliseconds of CPU (bench/survey-results.bench.ts), so a page viewed again draws nothing new.
 */
const drawn = new Map<string, string>();
const CACHE_SIZE = 2000;

function draw(counts: number[], width: number, height: number): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption({
      animation: false,
      grid: { left: 40, right: 16, top: 16, bottom: 28 },
      xAxis: { type: 'category', data: LABELS },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        {
          type: 'bar',
          data: counts.map((value, i) => ({ value, itemStyle: { color: COLOURS[i] } })),
          barMaxWidth: 48,
        },
      ],
    });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

/** The chart's words, for screen readers and print: "1分 0 人，2分 1 人，…". */
export function ratingChartText(counts: number[]): string {
  return LABELS.map((l, i) => `${l} ${counts[i]} 人`).join('，');
}
