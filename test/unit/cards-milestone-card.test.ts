import { describe, expect, it } from 'vitest';
import { canDrawAll } from '../../src/cards/fonts.js';
import { cardHeight, cardWidth, renderMilestoneCard } from '../../src/cards/milestone-card.js';
import type { MilestoneKind } from '../../src/milestones/types.js';
import type { Language } from '../../src/posts/types.js';
import { brightPixels, decodePng, differingPixels, distinctColours, pngSize } from '../helpers/png.js';
import {
  layover,
  longTitles,
  milestone,
  sampleRecord,
  trackingFrom,
  layoverConfig,
} from '../helpers/posts-fixtures.js';

const kinds: readonly MilestoneKind[] = ['track', 'album', 'allTracks', 'artist', 'followers'];
const languages: readonly Language[] = ['en', 'ko'];

/** The text column of a card (left margin to the right margin, above the footer rule). */
const content = { x: 72, y: 40, width: cardWidth - 144, height: 500 };

describe('milestone cards', () => {
  it.each(kinds.flatMap((kind) => languages.map((language) => [kind, language] as const)))(
    'draws a 1200×630 PNG with text and alt text for a %s milestone in %s',
    async (kind, language) => {
      const card = await renderMilestoneCard(milestone(kind, { threshold: 500_000_000 }), layover, {
        language,
      });
      expect(pngSize(card.png)).toEqual({ width: 1200, height: 630 });
      expect([card.width, card.height]).toEqual([cardWidth, cardHeight]);
      const pixels = await decodePng(card.png);
      expect(distinctColours(pixels)).toBeGreaterThan(200);
      // The big number alone covers thousands of white pixels.
      expect(brightPixels(pixels, content)).toBeGreaterThan(20_000);
      expect(card.altText).toMatch(language === 'en' ? /^Card: .*500 million/ : /^카드: .*5억/);
    },
  );

  it('words the alt text like the post: subject, number, day count, record and date', async () => {
    const card = await renderMilestoneCard(
      milestone('album', { threshold: 500_000_000, record: sampleRecord }),
      layover,
    );
    expect(card.altText).toBe(
      'Card: Layover by V passed 500 million Spotify streams in just 33 days. New record: the fastest K-pop solo ' +
        'album to 500 million Spotify streams, breaking the previous 58-day record held by FACE. ' +
        'Data as of Oct 11, 2023 KST.',
    );
    const ko = await renderMilestoneCard(milestone('allTracks', { daysSinceRelease: 72 }), layover, {
      language: 'ko',
    });
    expect(ko.altText).toBe(
      '카드: V의 Layover 전곡 스포티파이 스트리밍 5,000만 회 돌파 (발매 72일 만에). 마지막 주자는 Blue. 2023년 10월 11일 KST 기준.',
    );
  });

  it('draws the number it announces: 500 million and 600 million cards differ where the number is', async () => {
    const a = await decodePng(
      (await renderMilestoneCard(milestone('album', { threshold: 500_000_000 }), layover)).png,
    );
    const b = await decodePng(
      (await renderMilestoneCard(milestone('album', { threshold: 600_000_000 }), layover)).png,
    );
    expect(differingPixels(a, b)).toBeGreaterThan(2_000);
  });

  it('shrinks or cuts long titles and records so that no text reaches the right edge', async () => {
    const long = milestone('album', {
      threshold: 500_000_000,
      record: {
        title: longTitles.records[0]?.title ?? '',
        holder: 'FACE (Jimin), and many more words',
        previousDays: 58,
      },
    });
    for (const tracking of [longTitles, layover]) {
      const pixels = await decodePng((await renderMilestoneCard(long, tracking)).png);
      expect(brightPixels(pixels, { x: cardWidth - 60, y: 0, width: 60, height: cardHeight })).toBe(0);
      expect(brightPixels(pixels, content)).toBeGreaterThan(10_000);
    }
  });

  it('leaves out characters no font draws instead of drawing boxes', async () => {
    const undrawable = '\u{10FFFD}\u{10FFFE}';
    const plain = await renderMilestoneCard(milestone('album'), layover);
    const withUndrawable = await renderMilestoneCard(
      milestone('album'),
      trackingFrom({
        ...layoverConfig,
        albums: layoverConfig.albums.map((album) => ({ ...album, title: `${album.title} ${undrawable}` })),
      }),
    );
    expect(withUndrawable.missingGlyphs).toEqual(Array.from(undrawable));
    expect(withUndrawable.altText).toContain(`Layover ${undrawable}`);
    expect(differingPixels(await decodePng(plain.png), await decodePng(withUndrawable.png))).toBe(0);
  });

  it('draws Korean cards in Korean when a font has Hangul, otherwise in English, with Korean alt text either way', async () => {
    const card = await renderMilestoneCard(milestone('album', { threshold: 500_000_000 }), layover, {
      language: 'ko',
    });
    const hangul = canDrawAll('억스트리밍돌파');
    expect(card.drawnLanguage).toBe(hangul ? 'ko' : 'en');
    expect(card.missingGlyphs.includes('억')).toBe(!hangul);
    expect(card.altText).toContain('5억');
    const english = await renderMilestoneCard(milestone('album', { threshold: 500_000_000 }), layover);
    const same = differingPixels(await decodePng(card.png), await decodePng(english.png)) === 0;
    expect(same).toBe(!hangul);
  });

  it('draws a card for a subject the config no longer has, without a day count, and for the largest count', async () => {
    const gone = milestone('track', { albumId: 'gone', trackId: 'gone-track', daysSinceRelease: null });
    const card = await renderMilestoneCard(gone, layover);
    expect(pngSize(card.png)).toEqual({ width: 1200, height: 630 });
    expect(card.altText).toBe(
      'Card: gone-track by V passed 50 million Spotify streams. Data as of Oct 11, 2023 KST.',
    );
    const huge = milestone('artist', { threshold: Number.MAX_SAFE_INTEGER, value: Number.MAX_SAFE_INTEGER });
    const pixels = await decodePng((await renderMilestoneCard(huge, layover)).png);
    expect(brightPixels(pixels, { x: cardWidth - 60, y: 0, width: 60, height: cardHeight })).toBe(0);
    expect(brightPixels(pixels, content)).toBeGreaterThan(10_000);
  });
});
