import twitterText from 'twitter-text';
import { describe, expect, it } from 'vitest';
import type { Milestone, MilestoneKind } from '../../src/milestones/types.js';
import { renderPosts } from '../../src/platform-posts/default-renderer.js';
import { embedLength } from '../../src/platforms/discord/discord-embed.js';
import { discordContentLimit } from '../../src/platforms/discord/discord-post-limits.js';
import { xWeightedLength } from '../../src/platforms/x/x-text.js';
import type { Language } from '../../src/posts/types.js';
import { postCostMicros, defaultXPrices, toMicros } from '../../src/platforms/x/x-prices.js';
import { layoverConfig, milestone, sampleRecord, trackingFrom } from '../helpers/posts-fixtures.js';
import { seededRandom } from '../helpers/random.js';

const kinds: readonly MilestoneKind[] = ['track', 'album', 'allTracks', 'artist', 'followers'];
const languages: readonly Language[] = ['en', 'ko'];
const pairs: Readonly<Record<string, string>> = { '(': ')', '[': ']', '「': '」', '『': '』', '【': '】' };

/** Every bracket closed, in order (an independent check, not the code under test). */
function balanced(text: string): boolean {
  const stack: string[] = [];
  const closing = new Set(Object.values(pairs));
  for (const char of text) {
    const closer = pairs[char];
    if (closer !== undefined) stack.push(closer);
    else if (closing.has(char) && stack.pop() !== char) return false;
  }
  return stack.length === 0;
}

const latinWords = [
  'Layover',
  'Slow',
  'Dancing',
  'Rainy',
  'Days',
  'Love.me',
  '7.zip',
  'Blue',
  'Deluxe',
  'Edition',
];
const hangul = '가나다라마바사아자차카타파하뷔태형비오는날';

/** A title of about `length` characters: Latin or Korean words, sometimes with a bracketed subtitle. */
function title(random: () => number, length: number, korean: boolean): string {
  const words: string[] = [];
  let size = 0;
  while (size < length) {
    const word = korean
      ? Array.from(
          { length: 1 + Math.floor(random() * 4) },
          () => hangul[Math.floor(random() * hangul.length)],
        ).join('')
      : (latinWords[Math.floor(random() * latinWords.length)] as string);
    words.push(word);
    size += word.length + 1;
  }
  if (random() < 0.5 && words.length > 2) {
    const at = 1 + Math.floor(random() * (words.length - 2));
    words[at] = `(${words[at] ?? ''}`;
    words[words.length - 1] = `${words.at(-1) ?? ''})`;
  }
  return words.join(' ');
}

function trackingWith(album: string, track: string, last: string) {
  const [base] = layoverConfig.albums;
  if (base === undefined) throw new Error('fixture has no album');
  return trackingFrom({
    ...layoverConfig,
    albums: [
      {
        ...base,
        title: album,
        tracks: base.tracks.map((t) =>
          t.id === 'rainy-days' ? { ...t, title: track } : t.id === 'blue' ? { ...t, title: last } : t,
        ),
      },
    ],
  });
}

function expectGoodPosts(
  m: Milestone,
  tracking: ReturnType<typeof trackingFrom>,
  language: Language,
): string {
  const what = `${language} ${m.kind}${m.record === null ? '' : ' with record'}`;
  let posts: ReturnType<typeof renderPosts> | undefined;
  expect(() => (posts = renderPosts(m, tracking, { language })), what).not.toThrow();
  if (posts === undefined) return '';
  expect(twitterText.parseTweet(posts.x).valid, `${what}: ${posts.x}`).toBe(true);
  expect(twitterText.extractUrls(posts.x), `${what}: ${posts.x}`).toEqual([]);
  expect(balanced(posts.x), `${what}: ${posts.x}`).toBe(true);
  expect(balanced(posts.discord.content), `${what}: ${posts.discord.content}`).toBe(true);
  expect(posts.discord.content.length).toBeLessThanOrEqual(discordContentLimit);
  expect(embedLength(posts.discord.embed)).toBeLessThanOrEqual(6000);
  if (m.record !== null) {
    // The record is the news: it outlasts every title.
    expect(posts.x, what).toContain('FACE');
    expect(posts.x, what).toContain('58');
  }
  return posts.x;
}

describe('posts with long titles (property: any title the config allows)', () => {
  it('render for every kind and language, with and without a record, valid on X, balanced, never a link', () => {
    const random = seededRandom(20261128);
    let renders = 0;
    for (let round = 0; round < 12; round += 1) {
      const korean = round % 2 === 1;
      const length = [20, 111, 194, 280, 600, 2000][round % 6] ?? 100;
      const tracking = trackingWith(
        title(random, length, korean),
        title(random, Math.ceil(length / 2), !korean),
        title(random, length, korean),
      );
      for (const kind of kinds) {
        for (const language of languages) {
          for (const record of [null, sampleRecord]) {
            expectGoodPosts(milestone(kind, { record, threshold: 500_000_000 }), tracking, language);
            renders += 1;
          }
        }
      }
    }
    expect(renders).toBe(12 * kinds.length * languages.length * 2);
  }, 120_000);

  it('the artist post with a 194-character Latin or 111-character Korean latest album keeps its record clause', () => {
    for (const album of [
      'A'.repeat(1) + ' Very Long Album Title'.repeat(9),
      '아주 긴 앨범 제목'.repeat(11).slice(0, 111),
    ]) {
      const tracking = trackingWith(album, 'Rainy Days', 'Blue');
      for (const language of languages) {
        const x = expectGoodPosts(
          milestone('artist', { record: sampleRecord, threshold: 1_500_000_000 }),
          tracking,
          language,
        );
        expect(x).toMatch(/1\.5 billion|15억|1.5B/i);
      }
    }
  });

  it('closes a bracket the shortening cut open', () => {
    const tracking = trackingWith(
      `Layover ${'Slow Dancing '.repeat(20)}(Special Anniversary Edition With Bonus Tracks)`,
      'Rainy Days',
      'Blue',
    );
    const x = expectGoodPosts(
      milestone('album', { record: sampleRecord, threshold: 500_000_000 }),
      tracking,
      'en',
    );
    expect(x).not.toMatch(/\(Special…(?!\))/);
  });
});

describe('titles that X would read as links', () => {
  for (const linky of ['Love.me', '7.zip']) {
    it(`"${linky}" never becomes a link, weighs what it shows and costs a plain post`, () => {
      const plain = linky.replace('.', ' ');
      for (const language of languages) {
        const m = milestone('album', { threshold: 500_000_000 });
        const x = renderPosts(m, trackingWith(linky, 'Rainy Days', 'Blue'), { language }).x;
        const control = renderPosts(m, trackingWith(plain, 'Rainy Days', 'Blue'), { language }).x;
        expect(twitterText.extractUrls(x)).toEqual([]);
        expect(x).toContain(linky.replace('.', '\u2024'));
        // The defused dot weighs 2 where the space weighs 1; nothing is counted as a 23-character link.
        expect(xWeightedLength(x)).toBe(xWeightedLength(control) + 1);
        expect(postCostMicros(x, defaultXPrices)).toBe(toMicros(defaultXPrices.postUsd));
        // Discord does not link bare domains: the title stays as written there.
        expect(
          renderPosts(m, trackingWith(linky, 'Rainy Days', 'Blue'), { language }).discord.content,
        ).toContain(linky);
      }
    });
  }
});
