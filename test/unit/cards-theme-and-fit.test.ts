import { createCanvas } from '@napi-rs/canvas';
import { describe, expect, it } from 'vitest';
import { cardFont, drawableText } from '../../src/cards/fonts.js';
import { fitText } from '../../src/cards/text-layout.js';
import { albumTheme, derivedTheme, hslToHex, milestoneTheme } from '../../src/cards/theme.js';
import { layover, milestone } from '../helpers/posts-fixtures.js';

function context() {
  return createCanvas(10, 10).getContext('2d');
}

describe('card themes', () => {
  it('derives the same colours for the same id and different colours for different ids', () => {
    expect(derivedTheme('face')).toEqual(derivedTheme('face'));
    expect(derivedTheme('face').background).not.toBe(derivedTheme('golden').background);
    expect(derivedTheme('face').background).toMatch(/^#[0-9a-f]{6}$/);
  });

  it('uses the built-in theme for a known album and the latest album for artist milestones', () => {
    expect(albumTheme('layover')).not.toEqual(derivedTheme('layover'));
    expect(milestoneTheme(milestone('artist'), layover)).toEqual(albumTheme('layover'));
    const beforeRelease = milestone('followers', { observedAt: '2020-01-01T00:00:00+09:00' });
    expect(milestoneTheme(beforeRelease, layover)).toEqual(derivedTheme('v'));
  });

  it('converts HSL to hex', () => {
    expect(hslToHex(0, 100, 50)).toBe('#ff0000');
    expect(hslToHex(240, 100, 50)).toBe('#0000ff');
    expect(hslToHex(0, 0, 100)).toBe('#ffffff');
  });
});

describe('fitting text', () => {
  it('keeps the largest size when the text fits', () => {
    const fitted = fitText(context(), 'Layover', { maxWidth: 1000, maxSize: 60, minSize: 20, maxLines: 1 });
    expect(fitted).toEqual({ size: 60, lines: ['Layover'], weight: 'normal' });
  });

  it('shrinks to the largest size whose width fits', () => {
    const ctx = context();
    const text = 'Slow Dancing (Piano Ver.)';
    const fitted = fitText(ctx, text, {
      maxWidth: 500,
      maxSize: 80,
      minSize: 20,
      maxLines: 1,
      weight: 'bold',
    });
    expect(fitted.size).toBeLessThan(80);
    expect(fitted.lines).toEqual([text]);
    ctx.font = cardFont(fitted.size, 'bold');
    expect(ctx.measureText(text).width).toBeLessThanOrEqual(500);
    ctx.font = cardFont(fitted.size + 2, 'bold');
    expect(ctx.measureText(text).width).toBeGreaterThan(500);
  });

  it('wraps into the allowed lines and cuts with an ellipsis at the minimum size', () => {
    const ctx = context();
    const text = 'word '.repeat(200).trim();
    const fitted = fitText(ctx, text, { maxWidth: 400, maxSize: 40, minSize: 20, maxLines: 2 });
    expect(fitted.size).toBe(20);
    expect(fitted.lines).toHaveLength(2);
    expect(fitted.lines[1]).toMatch(/…$/);
    ctx.font = cardFont(20);
    for (const line of fitted.lines) expect(ctx.measureText(line).width).toBeLessThanOrEqual(400);
  });

  it('breaks a single word wider than the line by character', () => {
    const fitted = fitText(context(), 'x'.repeat(300), {
      maxWidth: 300,
      maxSize: 20,
      minSize: 20,
      maxLines: 3,
    });
    expect(fitted.lines).toHaveLength(3);
  });
});

describe('drawable text', () => {
  it('drops characters no font draws and tidies what is left', () => {
    expect(drawableText('Layover \u{10FFFD}')).toBe('Layover');
    expect(drawableText('Blue (\u{10FFFD}\u{10FFFD})')).toBe('Blue');
    expect(drawableText('\u{10FFFD}')).toBe('');
    expect(drawableText('Rainy Days')).toBe('Rainy Days');
  });
});
