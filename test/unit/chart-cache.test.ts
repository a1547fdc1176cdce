import { describe, expect, it } from 'vitest';
import { ChartCache } from '../../src/cards/chart-cache.js';
import type { RenderedChart } from '../../src/cards/status-chart.js';

/** A stand-in chart whose alt text says which drawing made it. */
function chart(label: string): RenderedChart {
  return {
    png: Buffer.from(label),
    width: 1200,
    height: 630,
    altText: label,
    drawnLanguage: 'en',
    missingGlyphs: [],
  };
}

/** A loader whose drawings finish only when the test says so, counting each one it starts. */
function heldLoader() {
  const started: { label: string; finish(): void; fail(error: Error): void }[] = [];
  const load = () =>
    new Promise<RenderedChart>((resolve, reject) => {
      const label = `drawing ${started.length + 1}`;
      started.push({ label, finish: () => resolve(chart(label)), fail: reject });
    });
  return { started, load };
}

/** Lets every promise callback that is ready run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('chart cache', () => {
  it('draws once for 50 concurrent requests of the same version, then answers from the kept chart', async () => {
    const cache = new ChartCache();
    const { started, load } = heldLoader();
    const waiting = Array.from({ length: 50 }, () => cache.get('v|layover|en', 'v1', load));
    expect(started).toHaveLength(1);
    started[0]?.finish();
    const charts = await Promise.all(waiting);
    expect(new Set(charts.map((c) => c.altText))).toEqual(new Set(['drawing 1']));
    expect((await cache.get('v|layover|en', 'v1', load)).altText).toBe('drawing 1');
    expect(started).toHaveLength(1);
  });

  it('shares one further drawing among the requests for newer versions that arrive during a drawing', async () => {
    const cache = new ChartCache();
    const { started, load } = heldLoader();
    const first = cache.get('slot', 'v1', load);
    const newer = ['v2', 'v3', 'v2', 'v4'].map((version) => cache.get('slot', version, load));
    // The further drawing waits for the first to end: it must load data at least as new as v2..v4.
    expect(started).toHaveLength(1);
    started[0]?.finish();
    expect((await first).altText).toBe('drawing 1');
    await settle();
    expect(started).toHaveLength(2);
    // A request during the second drawing, for a version it answers, joins it; a new version queues a third.
    const joins = cache.get('slot', 'v3', load);
    const third = cache.get('slot', 'v5', load);
    started[1]?.finish();
    expect((await Promise.all([...newer, joins])).map((c) => c.altText)).toEqual(Array(5).fill('drawing 2'));
    await settle();
    expect(started).toHaveLength(3);
    started[2]?.finish();
    expect((await third).altText).toBe('drawing 3');
    // The kept chart is now the third's, for v5.
    expect((await cache.get('slot', 'v5', load)).altText).toBe('drawing 3');
    expect(started).toHaveLength(3);
  });

  it('keeps slots apart', async () => {
    const cache = new ChartCache();
    const { started, load } = heldLoader();
    const a = cache.get('v|layover|en', 'v1', load);
    const b = cache.get('v|other|en', 'v1', load);
    expect(started).toHaveLength(2);
    started[0]?.finish();
    started[1]?.finish();
    expect([(await a).altText, (await b).altText]).toEqual(['drawing 1', 'drawing 2']);
  });

  it('fails every request that waited on a failed drawing, keeps nothing, and draws again for the next', async () => {
    const cache = new ChartCache();
    const { started, load } = heldLoader();
    const waiting = [cache.get('slot', 'v1', load), cache.get('slot', 'v1', load)];
    started[0]?.fail(new Error('no font'));
    for (const request of waiting) await expect(request).rejects.toThrow('no font');
    await settle();
    const again = cache.get('slot', 'v1', load);
    await settle();
    expect(started).toHaveLength(2);
    started[1]?.finish();
    expect((await again).altText).toBe('drawing 2');
  });

  it('drops the least recently used idle slots beyond its size', async () => {
    const cache = new ChartCache({ maxSlots: 2 });
    const { started, load } = heldLoader();
    for (const slot of ['a', 'b']) {
      const request = cache.get(slot, 'v1', load);
      started.at(-1)?.finish();
      await request;
    }
    // `a` used last, then `c` arrives: `b` goes.
    await cache.get('a', 'v1', load);
    const c = cache.get('c', 'v1', load);
    started.at(-1)?.finish();
    await c;
    expect(started).toHaveLength(3);
    await cache.get('a', 'v1', load);
    expect(started).toHaveLength(3);
    const b = cache.get('b', 'v1', load);
    expect(started).toHaveLength(4);
    started.at(-1)?.finish();
    await b;
  });
});
