import { createCanvas, type SKRSContext2D } from '@napi-rs/canvas';
import { DateTime } from 'luxon';
import { kindScope, subjectKey } from '../milestone-kinds.js';
import type { Milestone } from '../milestones/types.js';
import { dateLabel, zoneLabel } from '../posts/dates.js';
import { countCompact } from '../posts/numbers.js';
import type { Language } from '../posts/types.js';
import type { TrackedAlbum, Tracking } from '../tracking/tracking.js';
import { chartAltText } from './chart-alt-text.js';
import type { HistoryPoint } from '../milestones/history-point.js';
import { linear, timeTicks, valueTicks } from './chart-scale.js';
import { canDrawAll, cardFont, drawableText, undrawable } from './fonts.js';
import { ellipsize } from './text-layout.js';
import { albumTheme, hslToHex, type CardTheme } from './theme.js';

/** A history in time order (the chart sorts it anyway). */
export type StreamSeries = readonly HistoryPoint[];

export interface StatusChartOptions {
  /** The album to draw; default the latest album released by the last point (else the config's first). */
  readonly albumId?: string;
  readonly language?: Language;
}

export interface RenderedChart {
  readonly png: Buffer;
  readonly width: number;
  readonly height: number;
  readonly altText: string;
  /** As for cards: English when no installed font draws the asked-for language. */
  readonly drawnLanguage: Language;
  readonly missingGlyphs: readonly string[];
}

/** Draws a status chart: {@link renderStatusChart} itself, or a chart pool's `draw`, which runs it in a worker. */
export type StatusChartDrawer = (
  series: StreamSeries,
  milestones: readonly Milestone[],
  tracking: Tracking,
  options?: StatusChartOptions,
) => Promise<RenderedChart>;

export const chartWidth = 1200;
export const chartHeight = 630;

const plot = { left: 118, right: 880, top: 128, bottom: 540 } as const;
const legendX = 916;

interface Line {
  readonly key: string;
  readonly label: string;
  readonly color: string;
  readonly width: number;
  readonly points: readonly { readonly ms: number; readonly value: number }[];
}

function trackColor(index: number, count: number, theme: CardTheme): string {
  if (count <= 1) return theme.muted;
  return hslToHex((200 + (index * 300) / count) % 360, 70, 68);
}

function pickAlbum(tracking: Tracking, series: readonly HistoryPoint[], albumId: string | undefined) {
  if (albumId !== undefined) {
    const album = tracking.albumsById.get(albumId);
    if (album === undefined) throw new RangeError(`unknown album "${albumId}"`);
    return album;
  }
  const lastMs = series.length === 0 ? Number.POSITIVE_INFINITY : msOf(series[series.length - 1]?.at ?? '');
  const released = tracking.albumsByRelease.filter((a) => a.releasedAtMs <= lastMs);
  const album = released[released.length - 1] ?? tracking.albums[0];
  if (album === undefined) throw new RangeError('the tracking config has no album');
  return album;
}

function msOf(iso: string): number {
  return DateTime.fromISO(iso, { setZone: true }).toMillis();
}

function linesFor(album: TrackedAlbum, series: readonly HistoryPoint[], theme: CardTheme): Line[] {
  const pointsOf = (key: string) =>
    series.flatMap((p) => {
      const value = p.values[key];
      return value === undefined ? [] : [{ ms: msOf(p.at), value }];
    });
  const tracks = album.tracks.map((track, index) => ({
    key: subjectKey('track', album.id, track.id),
    label: drawableText(track.title) || track.id,
    color: trackColor(index, album.tracks.length, theme),
    width: 2.5,
    points: pointsOf(subjectKey('track', album.id, track.id)),
  }));
  const albumLine = {
    key: subjectKey('album', album.id, null),
    label: drawableText(album.title) || album.id,
    color: theme.accent,
    width: 5,
    points: pointsOf(subjectKey('album', album.id, null)),
  };
  return [albumLine, ...tracks];
}

interface Words {
  title(album: string): string;
  empty: string;
  everySong(threshold: string): string;
  footer(date: string, zone: string): string;
  day(ms: number, zone: string): string;
}

const words: Record<Language, Words> = {
  en: {
    title: (album) => `${album} · cumulative Spotify streams`,
    empty: 'No history yet',
    everySong: (threshold) => `every song ${threshold}`,
    footer: (date, zone) => `Data as of ${date} ${zone}`,
    day: (ms, zone) => DateTime.fromMillis(ms, { zone }).setLocale('en-US').toFormat('LLL d'),
  },
  ko: {
    title: (album) => `${album} · 스포티파이 누적 스트리밍`,
    empty: '아직 기록이 없어요',
    everySong: (threshold) => `전곡 ${threshold}`,
    footer: (date, zone) => `${date} ${zone} 기준`,
    day: (ms, zone) => {
      const d = DateTime.fromMillis(ms, { zone });
      return `${d.month}월 ${d.day}일`;
    },
  },
};

function drawFrame(ctx: SKRSContext2D, theme: CardTheme): void {
  const gradient = ctx.createLinearGradient(0, 0, chartWidth, chartHeight);
  gradient.addColorStop(0, theme.background);
  gradient.addColorStop(1, theme.backgroundEnd);
  ctx.fillStyle = gradient;
  ctx.fillRect(0, 0, chartWidth, chartHeight);
  ctx.fillStyle = theme.accent;
  ctx.fillRect(0, 0, 14, chartHeight);
}

function languageToDraw(language: Language): Language {
  const w = words[language];
  return language === 'en' || canDrawAll(`${w.title('')}${w.empty}${w.footer('', '')}`) ? language : 'en';
}

interface Marker {
  readonly ms: number;
  readonly value: number;
  readonly style: 'labelled' | 'dot' | 'vertical';
  readonly label: string;
  readonly color: string;
}

function markersFor(
  milestones: readonly Milestone[],
  album: TrackedAlbum,
  lines: readonly Line[],
  theme: CardTheme,
  language: Language,
): Marker[] {
  const colorOf = new Map(lines.map((line) => [line.key, line.color]));
  return milestones.flatMap((m): Marker[] => {
    const ms = msOf(m.observedAt);
    const short = countCompact(m.threshold, language);
    const color = m.record === null ? theme.text : theme.highlight;
    if (m.kind === 'album' && m.albumId === album.id) {
      return [{ ms, value: m.value, style: 'labelled', label: short, color }];
    }
    if (m.kind === 'allTracks' && m.albumId === album.id) {
      return [{ ms, value: m.value, style: 'vertical', label: words[language].everySong(short), color }];
    }
    const trackColor =
      m.kind === 'track' ? colorOf.get(subjectKey('track', m.albumId, m.trackId)) : undefined;
    return trackColor === undefined
      ? []
      : [{ ms, value: m.value, style: 'dot', label: '', color: trackColor }];
  });
}

function drawAxes(
  ctx: SKRSContext2D,
  theme: CardTheme,
  x: (ms: number) => number,
  y: (value: number) => number,
  ticks: { readonly values: readonly number[]; readonly times: readonly number[] },
  language: Language,
  zone: string,
): void {
  ctx.font = cardFont(20);
  ctx.textBaseline = 'middle';
  ctx.textAlign = 'right';
  for (const value of ticks.values) {
    ctx.fillStyle = theme.muted;
    ctx.globalAlpha = value === 0 ? 0.6 : 0.18;
    ctx.fillRect(plot.left, Math.round(y(value)), plot.right - plot.left, value === 0 ? 2 : 1);
    ctx.globalAlpha = 1;
    ctx.fillText(countCompact(value, language), plot.left - 14, y(value));
  }
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  for (const ms of ticks.times) {
    ctx.fillStyle = theme.muted;
    ctx.fillText(words[language].day(ms, zone), x(ms), plot.bottom + 12);
  }
  ctx.textAlign = 'left';
}

function drawLines(
  ctx: SKRSContext2D,
  lines: readonly Line[],
  x: (ms: number) => number,
  y: (value: number) => number,
): void {
  // Tracks first, the album on top.
  for (const line of [...lines.slice(1), ...lines.slice(0, 1)]) {
    if (line.points.length === 0) continue;
    ctx.strokeStyle = line.color;
    ctx.fillStyle = line.color;
    ctx.lineWidth = line.width;
    ctx.lineJoin = 'round';
    ctx.beginPath();
    line.points.forEach((p, i) =>
      i === 0 ? ctx.moveTo(x(p.ms), y(p.value)) : ctx.lineTo(x(p.ms), y(p.value)),
    );
    ctx.stroke();
    if (line.points.length === 1) {
      const [p] = line.points;
      if (p !== undefined) {
        ctx.beginPath();
        ctx.arc(x(p.ms), y(p.value), line.width + 1, 0, Math.PI * 2);
        ctx.fill();
      }
    }
  }
}

function drawMarkers(
  ctx: SKRSContext2D,
  markers: readonly Marker[],
  theme: CardTheme,
  x: (ms: number) => number,
  y: (value: number) => number,
): void {
  ctx.font = cardFont(18, 'bold');
  // Labels of verticals sit in a row above the plot, the others next to their dot: one overlap check per row.
  const lastLabelRight = { vertical: Number.NEGATIVE_INFINITY, point: Number.NEGATIVE_INFINITY };
  const labels: { text: string; x: number; y: number; color: string }[] = [];
  for (const marker of [...markers].sort((a, b) => a.ms - b.ms)) {
    const px = x(marker.ms);
    const py = y(marker.value);
    ctx.fillStyle = marker.color;
    ctx.strokeStyle = marker.color;
    if (marker.style === 'vertical') {
      ctx.globalAlpha = 0.7;
      ctx.lineWidth = 2;
      ctx.setLineDash([6, 6]);
      ctx.beginPath();
      ctx.moveTo(px, plot.top);
      ctx.lineTo(px, plot.bottom);
      ctx.stroke();
      ctx.setLineDash([]);
      ctx.globalAlpha = 1;
    } else {
      ctx.beginPath();
      ctx.arc(px, py, marker.style === 'labelled' ? 7 : 4, 0, Math.PI * 2);
      ctx.fill();
      if (marker.style === 'labelled') {
        ctx.lineWidth = 2;
        ctx.strokeStyle = theme.backgroundEnd;
        ctx.stroke();
      }
    }
    if (marker.label === '') continue;
    const width = ctx.measureText(marker.label).width;
    const left = Math.min(Math.max(px - width / 2, plot.left), plot.right - width);
    const row = marker.style === 'vertical' ? 'vertical' : 'point';
    if (left < lastLabelRight[row] + 8) continue;
    const labelY = marker.style === 'vertical' ? plot.top - 24 : Math.max(plot.top, py - 30);
    labels.push({ text: marker.label, x: left, y: labelY, color: marker.color });
    lastLabelRight[row] = left + width;
  }
  // Labels after every dot, so that no later dot covers a label.
  ctx.textBaseline = 'top';
  for (const label of labels) {
    ctx.fillStyle = label.color;
    ctx.fillText(label.text, label.x, label.y);
  }
}

function drawLegend(ctx: SKRSContext2D, lines: readonly Line[], theme: CardTheme): void {
  const maxRows = 9;
  const shown = lines.length > maxRows ? lines.slice(0, maxRows - 1) : lines;
  let y = plot.top;
  ctx.textBaseline = 'middle';
  shown.forEach((line, index) => {
    ctx.fillStyle = line.color;
    ctx.fillRect(legendX, y - 2, 28, index === 0 ? 6 : 3);
    ctx.font = cardFont(index === 0 ? 22 : 19, index === 0 ? 'bold' : 'normal');
    ctx.fillStyle = index === 0 ? theme.text : theme.muted;
    ctx.fillText(ellipsize(ctx, line.label, chartWidth - legendX - 70), legendX + 40, y);
    y += index === 0 ? 40 : 32;
  });
  if (shown.length < lines.length) {
    ctx.fillStyle = theme.muted;
    ctx.fillText(`+${lines.length - shown.length}`, legendX + 40, y);
  }
}

/**
 * Draws the `/layover status` chart (1200×630 PNG): the album's total and each track's cumulative streams over
 * time, with the milestones in `milestones` marked (album milestones labelled, track milestones as dots,
 * every-song milestones as dashed verticals). An empty series draws an empty chart saying so; never throws for
 * data, only for an `albumId` the config does not have.
 */
export async function renderStatusChart(
  series: StreamSeries,
  milestones: readonly Milestone[],
  tracking: Tracking,
  options: StatusChartOptions = {},
): Promise<RenderedChart> {
  const asked = options.language ?? 'en';
  const language = languageToDraw(asked);
  const w = words[language];
  const points = [...series].sort((a, b) => msOf(a.at) - msOf(b.at));
  const album = pickAlbum(tracking, points, options.albumId);
  const theme = albumTheme(album.id);
  const lines = linesFor(album, points, theme);
  const plotted = lines.flatMap((line) => line.points);
  const first = points[0];
  const last = points[points.length - 1];
  const startMs = first === undefined ? album.releasedAtMs : msOf(first.at);
  const endMs = Math.max(last === undefined ? startMs : msOf(last.at), startMs + 86_400_000);
  const inRange = milestones.filter((m) => {
    const ms = msOf(m.observedAt);
    return ms >= startMs && ms <= endMs;
  });
  const markers = markersFor(inRange, album, lines, theme, language);
  const maxValue = Math.max(1, ...plotted.map((p) => p.value), ...markers.map((m) => m.value));
  const values = valueTicks(maxValue);
  const x = linear([startMs, endMs], [plot.left, plot.right]);
  const y = linear([0, values[values.length - 1] ?? maxValue], [plot.bottom, plot.top]);
  const zone = tracking.timezone;

  const canvas = createCanvas(chartWidth, chartHeight);
  const ctx = canvas.getContext('2d');
  drawFrame(ctx, theme);
  ctx.textBaseline = 'top';
  ctx.fillStyle = theme.accent;
  ctx.font = cardFont(24, 'bold');
  ctx.fillText(ellipsize(ctx, drawableText(tracking.artist.name), chartWidth - 200), 60, 34);
  ctx.fillStyle = theme.text;
  ctx.font = cardFont(32, 'bold');
  const albumTitle = drawableText(album.title) || album.id;
  ctx.fillText(ellipsize(ctx, w.title(albumTitle), chartWidth - 120), 60, 66);
  drawAxes(ctx, theme, x, y, { values, times: timeTicks(startMs, endMs) }, language, zone);
  drawLines(ctx, lines, x, y);
  drawMarkers(ctx, markers, theme, x, y);
  drawLegend(ctx, lines, theme);
  if (plotted.length === 0) {
    ctx.fillStyle = theme.muted;
    ctx.font = cardFont(36, 'bold');
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    ctx.fillText(w.empty, (plot.left + plot.right) / 2, (plot.top + plot.bottom) / 2);
    ctx.textAlign = 'left';
  }
  if (last !== undefined) {
    ctx.fillStyle = theme.muted;
    ctx.font = cardFont(20);
    ctx.textBaseline = 'alphabetic';
    ctx.fillText(
      w.footer(dateLabel(last.at, zone, language), zoneLabel(last.at, zone)),
      60,
      chartHeight - 30,
    );
  }

  const latest = new Map<string, number>();
  for (const point of points) for (const [key, value] of Object.entries(point.values)) latest.set(key, value);
  const marked = [...inRange]
    // The album's streams chart: a video's views are not drawn on it.
    .filter((m) => m.albumId === album.id && (kindScope(m.kind) === 'track' || kindScope(m.kind) === 'album'))
    .sort((a, b) => msOf(a.observedAt) - msOf(b.observedAt));
  const summary = { album, firstAt: first?.at ?? null, lastAt: last?.at ?? null, latest, marked };
  const titles = [tracking.artist.name, album.title, ...album.tracks.map((t) => t.title)].join('');
  return {
    png: await canvas.encode('png'),
    width: chartWidth,
    height: chartHeight,
    altText: chartAltText(summary, tracking, asked),
    drawnLanguage: language,
    missingGlyphs: undrawable(`${titles}${language === asked ? '' : words[asked].title('')}`),
  };
}
