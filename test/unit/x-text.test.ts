import twitterText from 'twitter-text';
import { describe, expect, it } from 'vitest';
import { milestoneKinds } from '../../src/tracking/schema.js';
import { renderPosts } from '../../src/platform-posts/default-renderer.js';
import { fitXText, isValidXText, packXThread } from '../../src/platforms/x/x-text.js';
import { layover, longTitles, milestone, sampleRecord } from '../helpers/posts-fixtures.js';

/** Every whitespace-separated word of `shortened` (but a final one ending in "…") is a whole word of `original`. */
function expectWholeWords(shortened: string, original: string): void {
  const words = new Set(original.split(/\s+/u));
  const kept = shortened.split(/\s+/u);
  const last = kept.at(-1) ?? '';
  for (const word of last.endsWith('…') ? [...kept.slice(0, -1), last.slice(0, -1)] : kept) {
    if (word !== '') expect(words, `"${word}" was cut`).toContain(word);
  }
}

describe('fitXText', () => {
  it('leaves a valid text alone', () => {
    const text = 'Rainy Days passed 100M streams on Spotify 🎉 #V #Layover';
    expect(fitXText(text)).toBe(text);
  });

  it('drops trailing hashtags first, last one first', () => {
    const body = `${'가'.repeat(134)} 🎉`;
    const fitted = fitXText(`${body} #V #Layover #뷔`);
    expect(isValidXText(fitted)).toBe(true);
    expect(fitted.startsWith(body)).toBe(true);
    expect(fitted).not.toContain('#뷔');
  });

  it('drops trailing lines before cutting words, keeping the headline', () => {
    const headline = 'Congratulations Taehyung!! Layover passed 500M streams 💜';
    const fitted = fitXText(`${headline}\n${'word '.repeat(70)}\nmore`);
    expect(fitted).toBe(headline);
  });

  it('shortens long Korean and emoji text at a word boundary, ending in an ellipsis', () => {
    const original = Array.from({ length: 80 }, (_, i) => `태형이${i}🐯`).join(' ');
    const fitted = fitXText(original);
    expect(isValidXText(fitted)).toBe(true);
    expect(fitted.endsWith('…')).toBe(true);
    expect(twitterText.parseTweet(fitted).weightedLength).toBeGreaterThan(240);
    expectWholeWords(fitted, original);
  });

  it('cuts between graphemes only when a single word is longer than a post', () => {
    const fitted = fitXText('👩‍👩‍👧‍👦'.repeat(200));
    expect(isValidXText(fitted)).toBe(true);
    expect(fitted.replace(/…$/u, '').replaceAll('👩‍👩‍👧‍👦', '')).toBe('');
  });
});

describe('packXThread', () => {
  it('puts short texts of one album into one post, hashtags said once', () => {
    const parts = packXThread([
      { milestoneId: 'a', text: 'Layover passed 500M 💜 #V #Layover' },
      { milestoneId: 'b', text: 'Every Layover song passed 40M 🎉 #V #Layover' },
    ]);
    expect(parts).toEqual([
      {
        text: 'Layover passed 500M 💜\n\nEvery Layover song passed 40M 🎉\n\n#V #Layover',
        milestoneIds: ['a', 'b'],
      },
    ]);
  });

  it('starts a new post of the thread when the next text does not fit, keeping priority order', () => {
    const long = (n: number) => ({ milestoneId: `m${n}`, text: `${n} ${'스트리밍 '.repeat(30)}#V` });
    const parts = packXThread([long(1), long(2), long(3)]);
    expect(parts.map((p) => p.milestoneIds)).toEqual([['m1'], ['m2'], ['m3']]);
    for (const part of parts) expect(isValidXText(part.text)).toBe(true);
  });

  for (const language of ['en', 'ko'] as const) {
    for (const [name, tracking] of [
      ['Layover', layover],
      ['long Korean and emoji titles', longTitles],
    ] as const) {
      it(`every part X would post is valid, for every kind (${language}, ${name})`, () => {
        const milestones = milestoneKinds.map((kind, i) =>
          milestone(kind, {
            threshold: 500_000_000 + i,
            ...(kind === 'album' ? { record: sampleRecord } : {}),
          }),
        );
        const texts = milestones.map((m) => ({
          milestoneId: m.id,
          text: renderPosts(m, tracking, { language }).x,
        }));
        for (const { text } of texts) expect(twitterText.parseTweet(text).valid, text).toBe(true);
        const parts = packXThread(texts);
        expect(parts.flatMap((p) => p.milestoneIds)).toEqual(milestones.map((m) => m.id));
        for (const part of parts) expect(twitterText.parseTweet(part.text).valid, part.text).toBe(true);
      });
    }
  }
});
