import { describe, expect, it } from 'vitest';
import { chartHeight, chartWidth, renderStatusChart } from '../../src/cards/status-chart.js';
import { valueTicks, timeTicks } from '../../src/cards/chart-scale.js';
import { albumTheme } from '../../src/cards/theme.js';
import { sampleHistory, sampleMilestones } from '../../src/preview/sample-milestones.js';
import { decodePng, differingPixels, distinctColours, pngSize, type Pixels } from '../helpers/png.js';
import { layover, milestone, sampleRecord } from '../helpers/posts-fixtures.js';

const album = layover.albums[0];
if (album === undefined) throw new Error('fixture has no album');
const milestones = sampleMilestones(layover);
const history = sampleHistory(layover, album, milestones);

/** Pixels within `tolerance` of a #rrggbb colour. */
function pixelsNear(pixels: Pixels, hex: string, tolerance = 24): number {
  const target = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  let count = 0;
  for (let i = 0; i < pixels.data.length; i += 4) {
    if (target.every((c, k) => Math.abs((pixels.data[i + k] ?? 0) - c) <= tolerance)) count += 1;
  }
  return count;
}

describe('status chart', () => {
  it('draws a 1200×630 PNG with the album line, track lines and alt text', async () => {
    const chart = await renderStatusChart(history, milestones, layover);
    expect(pngSize(chart.png)).toEqual({ width: chartWidth, height: chartHeight });
    const pixels = await decodePng(chart.png);
    expect(distinctColours(pixels)).toBeGreaterThan(300);
    // The album's thick accent line (and its legend swatch) is there.
    expect(pixelsNear(pixels, albumTheme('layover').accent)).toBeGreaterThan(2_000);
    expect(chart.altText).toMatch(
      /^Chart: cumulative Spotify streams of Layover and its 6 tracks, Sep 8, 2023 to .*Layover: .* Highest track: Rainy Days/,
    );
  });

  it('marks milestones on the chart and names them in the alt text', async () => {
    const marked = milestone('album', {
      threshold: 500_000_000,
      value: 501_000_000,
      observedAt: '2023-10-08T23:00:00+09:00',
      record: sampleRecord,
    });
    const bare = await renderStatusChart(history, [], layover);
    const withMarker = await renderStatusChart(history, [marked], layover);
    const changed = differingPixels(await decodePng(bare.png), await decodePng(withMarker.png));
    expect(changed).toBeGreaterThan(100);
    expect(withMarker.altText).toContain('Milestones marked: 500 million (Layover, Oct 8, 2023).');
    expect(bare.altText).not.toContain('Milestones marked');
  });

  it('leaves out milestones outside the history and of other subjects', async () => {
    const outside = milestone('album', { observedAt: '2030-01-01T00:00:00+09:00' });
    const followers = milestone('followers', { observedAt: '2023-10-08T23:00:00+09:00' });
    const chart = await renderStatusChart(history, [outside, followers], layover);
    expect(chart.altText).not.toContain('Milestones marked');
  });

  it('draws an empty chart that says so when there is no history', async () => {
    const chart = await renderStatusChart([], [], layover);
    expect(pngSize(chart.png)).toEqual({ width: chartWidth, height: chartHeight });
    expect(distinctColours(await decodePng(chart.png))).toBeGreaterThan(50);
    expect(chart.altText).toBe('Chart: cumulative Spotify streams of Layover. No history yet.');
  });

  it('writes the alt text in Korean, counts in Korean units', async () => {
    const chart = await renderStatusChart(history, milestones, layover, { language: 'ko' });
    expect(chart.altText).toMatch(
      /^차트: Layover 앨범과 수록곡 6곡의 스포티파이 누적 스트리밍, 2023년 9월 8일부터/,
    );
    expect(chart.altText).toMatch(/Layover 5억 \(2023년 10월 8일\)/);
  });

  it('refuses an album the config does not have', async () => {
    await expect(renderStatusChart(history, [], layover, { albumId: 'face' })).rejects.toThrow(
      /unknown album/,
    );
  });
});

describe('chart scales', () => {
  it('ends value ticks on the first nice step at or above the maximum', () => {
    expect(valueTicks(1_830_000_000)).toEqual([0, 500_000_000, 1_000_000_000, 1_500_000_000, 2_000_000_000]);
    expect(valueTicks(0.5)).toEqual([0, 1]);
  });

  it('spaces time ticks by whole days', () => {
    const start = Date.parse('2023-09-08T14:00:00Z');
    const ticks = timeTicks(start, start + 60 * 86_400_000);
    expect(ticks.length).toBeGreaterThanOrEqual(3);
    expect(ticks.length).toBeLessThanOrEqual(6);
    expect((ticks[1] ?? 0) - (ticks[0] ?? 0)).toBe(14 * 86_400_000);
  });
});
