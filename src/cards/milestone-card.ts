import { createCanvas, type SKRSContext2D } from '@napi-rs/canvas';
import type { Milestone } from '../milestones/types.js';
import type { Language } from '../posts/types.js';
import type { Tracking } from '../tracking/tracking.js';
import { cardAltText, cardText, type CardText } from './card-text.js';
import { canDrawAll, cardFont, drawableText, undrawable } from './fonts.js';
import { ellipsize, fitText, type FittedText, type TextBox } from './text-layout.js';
import { milestoneTheme, type CardTheme } from './theme.js';

/** Open Graph size: what Discord embeds and X cards show uncropped. */
export const cardWidth = 1200;
export const cardHeight = 630;

export interface CardOptions {
  readonly language?: Language;
}

export interface RenderedCard {
  readonly png: Buffer;
  readonly width: number;
  readonly height: number;
  /** The image description for screen readers (Discord attachment `description`, X media metadata `alt_text`). */
  readonly altText: string;
  /**
   * The language the card's words are drawn in: the one asked for, or English when no installed font draws the
   * asked-for script (Korean without a CJK font). The alt text is always in the language asked for.
   */
  readonly drawnLanguage: Language;
  /** Characters of the asked-for texts that no installed font draws (left out of the image). */
  readonly missingGlyphs: readonly string[];
}

/** Joiners and variation selectors: never drawn on their own, so never reported missing. */
const invisibleJoiners = /^(?:\u200d|\ufe0e|\ufe0f)$/u;

const margin = 72;
const contentWidth = cardWidth - 2 * margin - 40;
const top = 58;
const footerSize = 24;
const footerBaseline = cardHeight - 44;
const footerTop = footerBaseline - footerSize - 24;

interface Block {
  readonly text: string;
  readonly box: TextBox;
  readonly color: string;
  readonly lineHeight: number;
  readonly gapBefore: number;
}

function blocksFor(text: CardText, theme: CardTheme, scale: number): Block[] {
  const box = (maxSize: number, minSize: number, maxLines: number, weight: 'normal' | 'bold'): TextBox => ({
    maxWidth: contentWidth,
    maxSize: Math.max(minSize, Math.round(maxSize * scale)),
    minSize,
    maxLines,
    weight,
  });
  const all: Block[] = [
    { text: text.kicker, box: box(30, 20, 1, 'bold'), color: theme.accent, lineHeight: 1.3, gapBefore: 0 },
    { text: text.title, box: box(60, 30, 1, 'bold'), color: theme.text, lineHeight: 1.25, gapBefore: 6 },
    { text: text.number, box: box(176, 64, 1, 'bold'), color: theme.text, lineHeight: 1.08, gapBefore: 10 },
    { text: text.caption, box: box(40, 24, 1, 'normal'), color: theme.accent, lineHeight: 1.3, gapBefore: 2 },
    { text: text.days, box: box(38, 24, 1, 'bold'), color: theme.text, lineHeight: 1.3, gapBefore: 14 },
    {
      text: text.lastTrack,
      box: box(30, 20, 1, 'normal'),
      color: theme.muted,
      lineHeight: 1.3,
      gapBefore: 6,
    },
    {
      text: text.record,
      box: box(30, 20, 2, 'normal'),
      color: theme.highlight,
      lineHeight: 1.3,
      gapBefore: 12,
    },
  ];
  return all.filter((block) => block.text !== '');
}

interface Placed {
  readonly block: Block;
  readonly fitted: FittedText;
}

function layout(ctx: SKRSContext2D, text: CardText, theme: CardTheme): Placed[] {
  let placed: Placed[] = [];
  for (let scale = 1; scale >= 0.5; scale -= 0.05) {
    placed = blocksFor(text, theme, scale).map((block) => ({
      block,
      fitted: fitText(ctx, block.text, block.box),
    }));
    const height = placed.reduce(
      (sum, { block, fitted }) =>
        sum + block.gapBefore + fitted.lines.length * fitted.size * block.lineHeight,
      0,
    );
    if (top + height <= footerTop) return placed;
  }
  return placed;
}

function drawBackground(ctx: SKRSContext2D, theme: CardTheme): void {
  const gradient = ctx.createLinearGradient(0, 0, cardWidth, cardHeight);
  gradient.addColorStop(0, theme.background);
  gradient.addColorStop(1, theme.backgroundEnd);
  ctx.fillStyle = gradient;
  ctx.fillRect(0, 0, cardWidth, cardHeight);
  ctx.globalAlpha = 0.12;
  ctx.fillStyle = theme.accent;
  ctx.beginPath();
  ctx.arc(cardWidth - 120, 150, 330, 0, Math.PI * 2);
  ctx.fill();
  ctx.globalAlpha = 0.08;
  ctx.beginPath();
  ctx.arc(cardWidth - 40, cardHeight + 40, 260, 0, Math.PI * 2);
  ctx.fill();
  ctx.globalAlpha = 1;
  ctx.fillRect(0, 0, 14, cardHeight);
}

function drawFooter(ctx: SKRSContext2D, text: CardText, theme: CardTheme): void {
  ctx.fillStyle = theme.muted;
  ctx.globalAlpha = 0.35;
  ctx.fillRect(margin, footerTop + 8, cardWidth - 2 * margin, 2);
  ctx.globalAlpha = 1;
  ctx.textBaseline = 'alphabetic';
  ctx.font = cardFont(footerSize);
  const footer = ellipsize(ctx, text.footer, (cardWidth - 2 * margin) * 0.55);
  ctx.textAlign = 'left';
  ctx.fillText(footer, margin, footerBaseline);
  if (text.hashtags !== '') {
    const room = cardWidth - 2 * margin - ctx.measureText(footer).width - 40;
    ctx.font = cardFont(footerSize, 'bold');
    ctx.fillStyle = theme.accent;
    ctx.textAlign = 'right';
    ctx.fillText(ellipsize(ctx, text.hashtags, room), cardWidth - margin, footerBaseline);
    ctx.textAlign = 'left';
  }
}

/** Korean when a font draws its fixed wording (captions, units, date); English otherwise. */
function languageToDraw(milestone: Milestone, tracking: Tracking, language: Language): Language {
  if (language === 'en') return 'en';
  const probe = cardText(milestone, tracking, language, () => '');
  return [probe.number, probe.caption, probe.footer].every(canDrawAll) ? language : 'en';
}

/** Every line with undrawable characters left out; a title left empty falls back to the subject's id. */
function drawableCardText(milestone: Milestone, tracking: Tracking, language: Language): CardText {
  const raw = cardText(milestone, tracking, language, drawableText);
  const clean = Object.fromEntries(
    (Object.entries(raw) as [keyof CardText, string][]).map(([key, value]) => [key, drawableText(value)]),
  ) as unknown as CardText;
  const hashtags = raw.hashtags
    .split(/\s+/)
    .map(drawableText)
    .filter((tag) => tag.replace(/^#/, '') !== '')
    .join(' ');
  const title =
    clean.title === '' ? (milestone.trackId ?? milestone.albumId ?? tracking.artist.id) : clean.title;
  return { ...clean, title, hashtags };
}

/**
 * Draws the 1200×630 PNG card for a milestone: theme colour, the artist, the subject, the number in fans' wording,
 * the day count, the last song to cross and the broken record when there are any, and "Data as of …".
 * Every text is measured and shrunk to fit (cut with "…" only past its minimum size). Never throws for a text:
 * characters no installed font can draw are left out and reported in `missingGlyphs`.
 */
export async function renderMilestoneCard(
  milestone: Milestone,
  tracking: Tracking,
  options: CardOptions = {},
): Promise<RenderedCard> {
  const language = options.language ?? 'en';
  const drawnLanguage = languageToDraw(milestone, tracking, language);
  const text = drawableCardText(milestone, tracking, drawnLanguage);
  const theme = milestoneTheme(milestone, tracking);
  const canvas = createCanvas(cardWidth, cardHeight);
  const ctx = canvas.getContext('2d');
  drawBackground(ctx, theme);
  ctx.textBaseline = 'top';
  let y = top;
  for (const { block, fitted } of layout(ctx, text, theme)) {
    y += block.gapBefore;
    ctx.font = cardFont(fitted.size, fitted.weight);
    ctx.fillStyle = block.color;
    for (const line of fitted.lines) {
      ctx.fillText(line, margin, y);
      y += fitted.size * block.lineHeight;
    }
  }
  drawFooter(ctx, text, theme);
  const asked = Object.values(cardText(milestone, tracking, language)).join('\n');
  return {
    png: await canvas.encode('png'),
    width: cardWidth,
    height: cardHeight,
    altText: cardAltText(milestone, tracking, language),
    drawnLanguage,
    missingGlyphs: undrawable(asked).filter((char) => !invisibleJoiners.test(char)),
  };
}
