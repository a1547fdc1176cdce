import type { SKRSContext2D } from '@napi-rs/canvas';
import { cardFont } from './fonts.js';

/** How one block of text may be sized: the largest size from `maxSize` down to `minSize` that fits wins. */
export interface TextBox {
  readonly maxWidth: number;
  readonly maxSize: number;
  readonly minSize: number;
  readonly maxLines: number;
  readonly weight?: 'normal' | 'bold';
}

export interface FittedText {
  readonly size: number;
  readonly lines: readonly string[];
  readonly weight: 'normal' | 'bold';
}

const ellipsis = '…';

function widthOf(ctx: SKRSContext2D, text: string): number {
  return ctx.measureText(text).width;
}

/** Splits a word wider than `maxWidth` into pieces that fit, character by character. */
function breakWord(ctx: SKRSContext2D, word: string, maxWidth: number): string[] {
  const pieces: string[] = [];
  let piece = '';
  for (const char of Array.from(word)) {
    if (piece !== '' && widthOf(ctx, piece + char) > maxWidth) {
      pieces.push(piece);
      piece = char;
    } else {
      piece += char;
    }
  }
  if (piece !== '') pieces.push(piece);
  return pieces;
}

/** Greedy word wrap at the context's current font; words wider than a line are broken by character. */
export function wrapLines(ctx: SKRSContext2D, text: string, maxWidth: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter((w) => w !== '')) {
    const candidate = line === '' ? word : `${line} ${word}`;
    if (widthOf(ctx, candidate) <= maxWidth) {
      line = candidate;
      continue;
    }
    if (line !== '') lines.push(line);
    if (widthOf(ctx, word) <= maxWidth) {
      line = word;
    } else {
      const pieces = breakWord(ctx, word, maxWidth);
      line = pieces.pop() ?? '';
      lines.push(...pieces);
    }
  }
  if (line !== '') lines.push(line);
  return lines;
}

/** `text` shortened at the end, with "…", until it fits `maxWidth` at the context's current font. */
export function ellipsize(ctx: SKRSContext2D, text: string, maxWidth: number): string {
  if (widthOf(ctx, text) <= maxWidth) return text;
  const chars = Array.from(text);
  while (chars.length > 0 && widthOf(ctx, chars.join('').trimEnd() + ellipsis) > maxWidth) chars.pop();
  return chars.join('').trimEnd() + ellipsis;
}

/**
 * Measures `text` and shrinks it until it fits `box` in at most `maxLines` lines: the largest size (in 2 px steps
 * from `maxSize`) that fits, found by bisection since setting a font is the costly part. At `minSize` whatever
 * still does not fit is cut at the end of the last line with "…": a card never draws past its edge.
 * Leaves the context's font set to the result.
 */
export function fitText(ctx: SKRSContext2D, text: string, box: TextBox): FittedText {
  const weight = box.weight ?? 'normal';
  const linesAt = (size: number): string[] => {
    ctx.font = cardFont(size, weight);
    return wrapLines(ctx, text, box.maxWidth);
  };
  const atMax = linesAt(box.maxSize);
  if (atMax.length <= box.maxLines) return { size: box.maxSize, lines: atMax, weight };
  // Sizes are box.minSize + 2k; find the largest k that fits (k = 0 may not fit either).
  let fits = -1;
  let fails = Math.floor((box.maxSize - box.minSize) / 2);
  let best: string[] = [];
  while (fails - fits > 1) {
    const k = Math.floor((fits + fails) / 2);
    const lines = linesAt(box.minSize + 2 * k);
    if (lines.length <= box.maxLines) {
      fits = k;
      best = lines;
    } else {
      fails = k;
    }
  }
  if (fits >= 0) {
    const size = box.minSize + 2 * fits;
    ctx.font = cardFont(size, weight);
    return { size, lines: best, weight };
  }
  const lines = linesAt(box.minSize);
  const kept = lines.slice(0, box.maxLines);
  const last = kept.length - 1;
  if (last >= 0 && lines.length > box.maxLines) {
    kept[last] = ellipsize(ctx, `${kept[last] ?? ''} ${lines[last + 1] ?? ''}`, box.maxWidth);
  }
  return { size: box.minSize, lines: kept, weight };
}
