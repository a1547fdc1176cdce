import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { registerCardFonts } from '../cards/fonts.js';
import { renderMilestoneCard } from '../cards/milestone-card.js';
import { renderStatusChart } from '../cards/status-chart.js';
import type { Milestone } from '../milestones/types.js';
import type { PlatformPosts } from '../platform-posts/post-formats.js';
import { xWeightedLength } from '../platforms/x/x-text.js';
import type { Language, RenderPosts } from '../posts/types.js';
import { historyFromSnapshots, type ReplayedHistory } from '../preview/history-from-snapshots.js';
import { sampleHistory, sampleMilestones } from '../preview/sample-milestones.js';
import { snapshotRules, validateSnapshotLines } from '../snapshots/validate-snapshots.js';
import { loadTrackings, TrackingConfigError } from '../tracking/load-tracking.js';
import type { Tracking } from '../tracking/tracking.js';
import { CommandError, settingsForCommand } from '../command-error.js';

export const previewUsage =
  'usage: npm run preview -- [--config <tracking.json>] [--out <dir>] [--font <file or folder>]… [--snapshots <file.jsonl>]';

const languages: readonly Language[] = ['en', 'ko'];
const rule = '─'.repeat(72);

export interface PreviewIo {
  readonly write: (text: string) => void;
}

function fileName(m: Milestone): string {
  const subject = m.trackId ?? m.albumId ?? m.artistId;
  return `${m.kind}-${subject}-${m.threshold}${m.record === null ? '' : '-record'}.png`;
}

function fontNote(drawn: Language, asked: Language, missing: readonly string[]): string {
  if (missing.length === 0) return '';
  const shown = `${missing.slice(0, 12).join(' ')}${missing.length > 12 ? ' …' : ''}`;
  const what =
    drawn === asked
      ? `no installed font draws ${shown}; those characters are left out of the image.`
      : `no installed font draws the ${asked} wording (${shown}); the image is worded in English.`;
  return (
    `  note: ${what}\n` +
    '        Install a font that has them (Korean: fonts-noto-cjk) or name it with --font / CARD_FONTS.\n'
  );
}

async function previewArtist(
  tracking: Tracking,
  outDir: string,
  renderPosts: RenderPosts<PlatformPosts>,
  io: PreviewIo,
  replayed: ReplayedHistory | undefined,
): Promise<number> {
  const milestones = sampleMilestones(tracking);
  let files = 0;
  for (const language of languages) {
    const dir = join(outDir, tracking.artist.id, language);
    mkdirSync(dir, { recursive: true });
    for (const m of milestones) {
      const posts = renderPosts(m, tracking, { language });
      const card = await renderMilestoneCard(m, tracking, { language });
      const path = join(dir, fileName(m));
      writeFileSync(path, card.png);
      files += 1;
      const day = m.daysSinceRelease === null ? '' : ` · day ${m.daysSinceRelease}`;
      const record = m.record === null ? '' : ` · breaks ${m.record.holder}'s ${m.record.previousDays} days`;
      io.write(
        `${rule}\n[${language}] ${m.kind} ${m.trackId ?? m.albumId ?? tracking.artist.id} ` +
          `${m.threshold.toLocaleString('en-US')}${day}${record} · SAMPLE\n\n` +
          `[X] ${xWeightedLength(posts.x)}/280\n${posts.x}\n\n` +
          `[Discord] ${posts.discord.content.length}/2000\n${posts.discord.content}\n` +
          `  embed: ${posts.discord.embed.title}\n\n` +
          `[Card] ${path}\n  alt: ${card.altText}\n${fontNote(card.drawnLanguage, language, card.missingGlyphs)}`,
      );
    }
    for (const album of tracking.albums) {
      const chart = await renderStatusChart(
        replayed?.series ?? sampleHistory(tracking, album, milestones),
        replayed?.milestones ?? milestones,
        tracking,
        {
          albumId: album.id,
          language,
        },
      );
      const path = join(dir, `status-${album.id}.png`);
      writeFileSync(path, chart.png);
      files += 1;
      io.write(
        `${rule}\n[${language}] /layover status chart for ${album.id} · ${replayed === undefined ? 'SAMPLE history' : `${replayed.series.length} snapshots, ${replayed.milestones.length} milestones`}\n\n` +
          `[Chart] ${path}\n  alt: ${chart.altText}\n${fontNote(chart.drawnLanguage, language, chart.missingGlyphs)}`,
      );
    }
  }
  return files;
}

/** Validates a JSONL history (exit 2 with one message per bad line) and replays it through the pure engine. */
function readHistory(
  path: string,
  trackings: readonly Tracking[],
  clockSkewSeconds: number,
): Map<string, ReplayedHistory> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new CommandError(
      `${path}: cannot read the file (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
      2,
    );
  }
  const byId = new Map(trackings.map((t) => [t.artist.id, t]));
  const { snapshots, problems } = validateSnapshotLines(text, snapshotRules(byId, clockSkewSeconds));
  if (problems.length > 0) throw new CommandError(problems.join('\n'), 2);
  return historyFromSnapshots(byId, snapshots);
}

/**
 * `preview`: renders every kind the config has a ladder for (plus each configured record), in every language, as
 * the bot would post it — X text, Discord content and card — and a status chart per album, from SAMPLE
 * milestones built from the config. Texts go to stdout, PNGs to `--out` (default out/preview/<artist>/<language>/).
 * With `--snapshots`, the charts show that history and the milestones it announces instead of SAMPLE ones.
 */
export async function previewCommand(
  argv: readonly string[],
  env: Record<string, string | undefined>,
  io: PreviewIo = { write: (text) => process.stdout.write(text) },
): Promise<void> {
  const settings = settingsForCommand(env);
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        config: { type: 'string' },
        out: { type: 'string' },
        font: { type: 'string', multiple: true },
        snapshots: { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new CommandError(`${(error as Error).message}\n${previewUsage}`, 2);
  }
  const configPaths = values.config === undefined ? settings.trackingConfigPaths : [values.config];
  const outDir = values.out ?? join('out', 'preview');
  let trackings: Tracking[];
  try {
    trackings = loadTrackings(configPaths);
  } catch (error) {
    if (error instanceof TrackingConfigError) throw new CommandError(error.message, 2);
    throw error;
  }
  const fontPaths = [...settings.cardFontPaths, ...(values.font ?? [])];
  if (fontPaths.length > 0 && registerCardFonts(fontPaths) === 0) {
    throw new CommandError(`no font could be loaded from ${fontPaths.join(', ')}`, 2);
  }
  const replayed =
    values.snapshots === undefined
      ? new Map<string, ReplayedHistory>()
      : readHistory(values.snapshots, trackings, settings.CLOCK_SKEW_SECONDS);
  // Loaded here, not at the top: the posts renderer reads the templates from disk on first use.
  const { renderPosts } = await import('../platform-posts/default-renderer.js');
  let files = 0;
  for (const tracking of trackings) {
    files += await previewArtist(tracking, outDir, renderPosts, io, replayed.get(tracking.artist.id));
  }
  io.write(`${rule}\n${files} images written under ${outDir}. All counts above are SAMPLE data.\n`);
}
