import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createCanvas, GlobalFonts } from '@napi-rs/canvas';

/**
 * Fonts for cards and charts. Skia (inside @napi-rs/canvas) finds the machine's fonts through fontconfig and falls
 * back from family to family for glyphs the first one lacks; a glyph no font has is drawn as a "tofu" box.
 * We never draw tofu: {@link coverage} tells which characters some font can draw, and cards drop or replace the
 * rest (see `milestone-card.ts`). Korean needs a CJK font (e.g. Debian's `fonts-noto-cjk`, or a file given to
 * {@link registerCardFonts}); without one, Korean cards fall back to English wording.
 */

/** Families tried first, in order, when installed; the generic `sans-serif` is always last. */
const preferredFamilies = [
  'Noto Sans',
  'DejaVu Sans',
  'Noto Sans CJK KR',
  'Noto Sans KR',
  'NanumGothic',
  'NanumBarunGothic',
  'Apple SD Gothic Neo',
  'Malgun Gothic',
  'Noto Color Emoji',
];

const fontFileExtensions = /\.(ttf|otf|ttc|woff2?)$/i;

let familyList: string | undefined;
const coverageCache = new Map<string, boolean>();

/**
 * Registers font files (or every font file in a directory) for cards and charts, e.g. a CJK font for Korean.
 * Returns the number of font files registered; paths that cannot be read or parsed are skipped and counted
 * as not registered.
 */
export function registerCardFonts(paths: readonly string[]): number {
  let registered = 0;
  for (const path of paths) {
    let isDirectory: boolean;
    try {
      isDirectory = statSync(path).isDirectory();
    } catch {
      continue;
    }
    if (isDirectory) {
      for (const name of readdirSync(path)) {
        if (fontFileExtensions.test(name) && GlobalFonts.registerFromPath(join(path, name)) !== null) {
          registered += 1;
        }
      }
    } else if (GlobalFonts.registerFromPath(path) !== null) {
      registered += 1;
    }
  }
  if (registered > 0) {
    familyList = undefined;
    coverageCache.clear();
  }
  return registered;
}

/** The CSS font-family list for cards: the preferred families that are installed, every other one, then sans-serif. */
export function fontFamilies(): string {
  if (familyList === undefined) {
    const installed = GlobalFonts.families.map((f) => f.family);
    const preferred = preferredFamilies.filter((family) => installed.includes(family));
    const others = installed.filter(
      (family) => !preferred.includes(family) && !/mono|math|serif/i.test(family),
    );
    familyList = [...preferred, ...others]
      .map((family) => `"${family}"`)
      .concat('sans-serif')
      .join(', ');
  }
  return familyList;
}

/** A CSS font shorthand in the card families. */
export function cardFont(size: number, weight: 'normal' | 'bold' = 'normal'): string {
  return `${weight} ${Math.round(size)}px ${fontFamilies()}`;
}

/** Pixels and advance of one character drawn alone: equal signatures mean the same glyph. */
function glyphSignature(char: string): string {
  const canvas = createCanvas(48, 48);
  const ctx = canvas.getContext('2d');
  ctx.font = cardFont(32);
  ctx.fillStyle = '#000000';
  ctx.fillText(char, 4, 38);
  const { data } = ctx.getImageData(0, 0, 48, 48);
  let h = 0;
  for (let i = 3; i < data.length; i += 4) {
    if ((data[i] ?? 0) > 64) h = (Math.imul(h, 31) + i) >>> 0;
  }
  return `${ctx.measureText(char).width.toFixed(2)}:${h}`;
}

let tofuSignature: string | undefined;

/** Whether some available font draws `char` (one code point), rather than the missing-glyph box. */
export function canDraw(char: string): boolean {
  const cached = coverageCache.get(char);
  if (cached !== undefined) return cached;
  // U+10FFFD is a private-use code point no font is expected to have: its rendering is the "tofu" box.
  tofuSignature ??= glyphSignature('\u{10FFFD}');
  const drawable = /\s/u.test(char) || glyphSignature(char) !== tofuSignature;
  coverageCache.set(char, drawable);
  return drawable;
}

/** Whether every character of `text` can be drawn. */
export function canDrawAll(text: string): boolean {
  return Array.from(text).every(canDraw);
}

/** The characters of `text` no available font can draw (each once, in order). */
export function undrawable(text: string): string[] {
  return [...new Set(Array.from(text).filter((char) => !canDraw(char)))];
}

/**
 * `text` without the characters no font can draw (emoji on a machine without an emoji font, Hangul without a CJK
 * font), tidied: variation selectors and joiners left alone are dropped, brackets left empty are removed and
 * spaces collapsed. '' when nothing drawable is left.
 */
export function drawableText(text: string): string {
  const kept = Array.from(text)
    .filter(canDraw)
    .join('')
    .replace(/\u200d|\ufe0e|\ufe0f/gu, '');
  return kept
    .replace(/\(\s*\)|\[\s*\]|（\s*）/g, '')
    .replace(/\s+/g, ' ')
    .replace(/^[\s\-–—:·,]+|[\s\-–—:·,]+$/g, '')
    .trim();
}
