import { ratingChartSvg, ratingChartText } from './rating-chart';

describe('rating chart (ECharts SSR)', () => {
  it('draws an SVG bar chart of the five counts with their labels', () => {
    const svg = ratingChartSvg([0, 1, 2, 10, 30]);
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('5分');
    expect(ratingChartSvg([0, 1, 2, 10, 30])).toBe(svg);
    expect(ratingChartText([0, 1, 2, 10, 30])).toBe('1分 0 人，2分 1 人，3分 2 人，4分 10 人，5分 30 人');
    // Five bars, one colour each.
    for (const c of ['#c0392b', '#2e7d32']) expect(svg.toLowerCase()).toContain(c);
  });
});
