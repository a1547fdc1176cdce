/** Axis arithmetic for the status chart: pure, no canvas. */

/** A "nice" step (1, 2 or 5 times a power of ten) so that about `count` steps cover `span`. */
export function niceStep(span: number, count: number): number {
  if (!(span > 0)) return 1;
  const raw = span / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const fraction = raw / power;
  const nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
  return nice * power;
}

/** Value ticks (whole counts) from 0 up to the first nice multiple at or above `max` (at least one step). */
export function valueTicks(max: number, count = 5): number[] {
  const step = Math.max(1, niceStep(max, count));
  const top = Math.max(step, Math.ceil(max / step) * step);
  const ticks: number[] = [];
  for (let tick = 0; tick <= top + step / 2; tick += step) ticks.push(Math.round(tick));
  return ticks;
}

const day = 86_400_000;

/** About `count` time ticks between two epoch-ms instants, on whole multiples of a day span (1, 2, 7, 14, 30…). */
export function timeTicks(startMs: number, endMs: number, count = 5): number[] {
  const span = Math.max(endMs - startMs, day);
  const spans = [1, 2, 3, 7, 14, 30, 61, 91, 182, 365].map((d) => d * day);
  const step = spans.find((s) => span / s <= count) ?? Math.ceil(span / count / (365 * day)) * 365 * day;
  const ticks: number[] = [];
  for (let tick = startMs; tick <= endMs; tick += step) ticks.push(tick);
  return ticks;
}

/** A linear map from a domain onto a pixel range. */
export function linear(domain: readonly [number, number], range: readonly [number, number]) {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const span = d1 - d0 === 0 ? 1 : d1 - d0;
  return (value: number): number => r0 + ((value - d0) / span) * (r1 - r0);
}
