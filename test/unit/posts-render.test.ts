import twitterText from 'twitter-text';
import { describe, expect, it } from 'vitest';
import type { Milestone } from '../../src/milestones/types.js';
import { renderPosts } from '../../src/platform-posts/default-renderer.js';
import { postFormats, postPlatforms, type PlatformPosts } from '../../src/platform-posts/post-formats.js';
import { embedLength } from '../../src/platforms/discord/discord-embed.js';
import { discordContentLimit, discordEmbedLimits } from '../../src/platforms/discord/discord-post-limits.js';
import { variantIndex } from '../../src/posts/pick-variant.js';
import { createPostRenderer } from '../../src/posts/render-posts.js';
import { loadTemplates } from '../../src/posts/template-store.js';
import type { Language } from '../../src/posts/types.js';
import { milestoneKinds } from '../../src/tracking/schema.js';
import type { Tracking } from '../../src/tracking/tracking.js';
import { layover, longTitles, milestone, onlyVariant, sampleRecord } from '../helpers/posts-fixtures.js';

const templates = loadTemplates(postPlatforms);
const languages: readonly Language[] = ['en', 'ko'];
const variantCount = Math.max(
  ...languages.flatMap((l) =>
    (['x', 'discord'] as const).flatMap((p) => milestoneKinds.map((k) => templates[l][p][k].length)),
  ),
);
const perVariant = Array.from({ length: variantCount }, (_, i) =>
  createPostRenderer(onlyVariant(templates, i), postFormats),
);

const fanExample =
  'Congratulations Taehyung!! 🎉 Layover has surpassed 500 MILLION streams on Spotify in just 33 days, breaking the ' +
  'previous 58-day record held by FACE for the fastest K-pop solo album to 500 million Spotify streams! #V #Layover';

const album500 = milestone('album', {
  threshold: 500_000_000,
  value: 503_000_000,
  daysSinceRelease: 33,
  record: sampleRecord,
});

function expectValidForX(text: string, context: string): void {
  const parsed = twitterText.parseTweet(text);
  expect(parsed.valid, `${context}: weighted ${parsed.weightedLength}\n${text}`).toBe(true);
}

function expectWithinDiscordLimits(posts: PlatformPosts, context: string): void {
  const { content, embed } = posts.discord;
  expect(content.length, context).toBeLessThanOrEqual(discordContentLimit);
  expect(content.trim(), context).not.toBe('');
  expect(embed.title.length, context).toBeLessThanOrEqual(discordEmbedLimits.title);
  expect(embed.description.length, context).toBeLessThanOrEqual(discordEmbedLimits.description);
  expect(embed.fields?.length ?? 0, context).toBeLessThanOrEqual(discordEmbedLimits.fields);
  for (const field of embed.fields ?? []) {
    expect(field.name.length, context).toBeLessThanOrEqual(discordEmbedLimits.fieldName);
    expect(field.value.length, context).toBeLessThanOrEqual(discordEmbedLimits.fieldValue);
    expect(field.value.trim(), context).not.toBe('');
  }
  expect(embedLength(embed), context).toBeLessThanOrEqual(discordEmbedLimits.total);
}

describe('rendered posts, word for word', () => {
  it('writes the fan example for Layover at 500 million with its record', () => {
    expect(perVariant[0]?.(album500, layover).x).toBe(fanExample);
  });

  it('renders the album record with the default rotation, on X and Discord', () => {
    const posts = renderPosts(album500, layover);
    expect(posts.x).toBe(
      '500M streams for Layover on Spotify! 🎉 Taehyung got there in just 33 days. A new record for the fastest ' +
        'K-pop solo album to 500 million Spotify streams (previously FACE, 58 days). Proud of you, Taehyung! #V #Layover',
    );
    expect(posts.discord.content).toBe(
      [
        '💜 **500M streams for Layover!**',
        'Taehyung got there in just 33 days.',
        '🏆 A new record for the fastest K-pop solo album to 500 million Spotify streams (previously FACE, 58 days).',
        'Proud of you, Taehyung! #V #Layover',
      ].join('\n'),
    );
    expect(posts.discord.embed).toEqual({
      title: 'Layover · 500 million streams',
      description: '**Layover** by V has passed **500 million** Spotify streams in just 33 days.',
      color: 0x8a6fdf,
      fields: [
        { name: 'Streams', value: '503,000,000', inline: true },
        { name: 'Days since release', value: '33', inline: true },
        {
          name: 'Record broken',
          value:
            'fastest K-pop solo album to 500 million Spotify streams: 33 days (previously FACE, 58 days)',
          inline: false,
        },
      ],
      footer: { text: 'Data as of Oct 11, 2023 KST' },
      timestamp: '2023-10-11T14:00:00.000Z',
    });
  });

  it('renders the same milestone in Korean', () => {
    const posts = renderPosts(album500, layover, { language: 'ko' });
    expect(posts.x).toBe(
      '🎉 Layover 스포티파이 5억 스트리밍 돌파! 발매 33일 만에 달성했어요. FACE의 58일 기록을 깼어요! Taehyung 정말 자랑스러워요 💜 #V #Layover',
    );
    expect(posts.discord.embed.footer).toEqual({ text: '2023년 10월 11일 KST 기준 데이터' });
    expect(posts.discord.embed.fields?.[0]).toEqual({
      name: '스트리밍',
      value: '5억 300만 (503,000,000)',
      inline: true,
    });
  });

  it('names the song that crossed last on an all-tracks milestone', () => {
    const allTracks = milestone('allTracks', {
      threshold: 50_000_000,
      value: 50_100_000,
      daysSinceRelease: 72,
      lastTrackId: 'blue',
    });
    expect(perVariant[0]?.(allTracks, layover).x).toBe(
      'Congratulations Taehyung!! 🎉 Every song on Layover has now surpassed 50 MILLION streams on Spotify in just ' +
        '72 days! Blue was the last song to cross 50 million. #V #Layover',
    );
    expect(perVariant[0]?.(allTracks, layover, { language: 'ko' }).x).toBe(
      '축하해요 Taehyung!! 🎉 Layover 전곡 스포티파이 스트리밍 5,000만 회 돌파 (발매 72일 만에)! 마지막 주자는 Blue. #V #Layover',
    );
  });

  it('words a pre-released track from its own release', () => {
    const rainyDays = milestone('track', { threshold: 80_000_000, daysSinceRelease: 61 });
    expect(perVariant[0]?.(rainyDays, layover).x).toBe(
      'Congratulations Taehyung!! 🎉 Rainy Days has surpassed 80 MILLION streams on Spotify in just 61 days since its ' +
        'pre-release! #V #Layover',
    );
    expect(perVariant[0]?.(rainyDays, layover).discord.embed.fields?.[1]?.name).toBe(
      'Days since pre-release',
    );
  });

  it('words followers with the current count and artist totals with the latest album', () => {
    const followers = milestone('followers', {
      threshold: 15_000_000,
      value: 15_720_000,
      daysSinceRelease: 45,
    });
    expect(perVariant[1]?.(followers, layover).x).toBe(
      'V just passed 15 million followers on Spotify (15.72M and counting), 45 days after the release of Layover! ' +
        "Follow Taehyung if you haven't yet 💜 #V #Layover",
    );
    expect(perVariant[1]?.(followers, layover, { language: 'ko' }).x).toBe(
      'Taehyung의 스포티파이 팔로워 1,500만 명 달성 (Layover 발매 45일 만에)! 지금은 1,572만 명 💜 #V #Layover',
    );
    const artist = milestone('artist', {
      threshold: 1_500_000_000,
      value: 1_500_600_000,
      daysSinceRelease: 43,
    });
    expect(perVariant[0]?.(artist, layover).x).toBe(
      'Congratulations Taehyung!! 🎉 V has surpassed 1.5 BILLION total streams on Spotify, 43 days after the release ' +
        'of Layover! #V #Layover',
    );
  });

  it('says "on release day" for day 0, the singular for day 1, and nothing when the day is unknown', () => {
    const at = (days: number | null) =>
      perVariant[0]?.(milestone('album', { daysSinceRelease: days }), layover).x;
    expect(at(0)).toContain('50 MILLION streams on Spotify on release day!');
    expect(at(1)).toContain('in just 1 day!');
    expect(at(null)).toBe(
      'Congratulations Taehyung!! 🎉 Layover has surpassed 50 MILLION streams on Spotify! #V #Layover',
    );
  });
});

describe('every kind, language and variant', () => {
  const dayCases = [null, 0, 1, 33, 258];
  const trackings: [string, Tracking][] = [
    ['layover', layover],
    ['long titles', longTitles],
  ];
  for (const [name, tracking] of trackings) {
    it(`stays within X and Discord limits and keeps its facts (${name})`, () => {
      let checked = 0;
      for (const render of perVariant) {
        for (const language of languages) {
          for (const kind of milestoneKinds) {
            for (const record of [null, sampleRecord]) {
              for (const days of dayCases) {
                const m = milestone(kind, { daysSinceRelease: days, record, threshold: 1_550_000_000 });
                const posts = render(m, tracking, { language });
                const context = `${name} ${language} ${kind} record=${record !== null} days=${days}`;
                expectValidForX(posts.x, context);
                expectWithinDiscordLimits(posts, context);
                expect(posts.x, context).toContain(tracking.artist.callName);
                expect(posts.discord.content, context).toContain(tracking.artist.callName);
                expect(posts.discord.content.includes('🏆'), context).toBe(record !== null);
                expect(posts.discord.embed.footer?.text, context).toMatch(/KST/);
                if (record !== null)
                  expect(posts.discord.content, context).toContain(`${record.previousDays}`);
                checked += 1;
              }
            }
          }
        }
      }
      expect(checked).toBe(variantCount * 2 * milestoneKinds.length * 2 * dayCases.length);
    });
  }

  it('keeps the record on X for every kind when titles are realistic', () => {
    for (const language of languages) {
      for (const kind of milestoneKinds) {
        const posts = renderPosts(
          milestone(kind, { record: sampleRecord, threshold: 500_000_000 }),
          layover,
          {
            language,
          },
        );
        expect(posts.x, `${language} ${kind}`).toContain('FACE');
        expect(posts.x, `${language} ${kind}`).toContain('58');
      }
    }
  });

  it('includes the day phrase in Discord content for stream milestones', () => {
    for (const render of perVariant) {
      for (const language of languages) {
        for (const kind of ['track', 'album', 'allTracks', 'artist'] as const) {
          const content = render(milestone(kind, { daysSinceRelease: 41 }), layover, { language }).discord
            .content;
          expect(content, `${language} ${kind}`).toMatch(language === 'en' ? /\b41 days\b/ : /41일 만에/);
        }
      }
    }
  });

  it('shortens long titles word by word, never mid-word, when nothing else makes X fit', () => {
    const blueTitle = longTitles.tracksById.get('blue')?.title ?? '';
    for (const render of perVariant) {
      for (const language of languages) {
        const m = milestone('allTracks', {
          record: sampleRecord,
          daysSinceRelease: 258,
          lastTrackId: 'blue',
        });
        const x = render(m, longTitles, { language }).x;
        expectValidForX(x, language);
        for (const token of x.split(/\s+/)) {
          if (!token.endsWith('…')) continue;
          const word = token.slice(0, -1);
          // Every clipped title ends on one of its own whole words.
          const wholeWords = [blueTitle, longTitles.albums[0]?.title ?? ''].flatMap((t) => t.split(/\s+/));
          expect(word === '' || wholeWords.includes(word), `"${token}" in ${x}`).toBe(true);
        }
      }
    }
  });

  it('escapes markdown and defuses @everyone from titles on Discord only', () => {
    const m = milestone('track', { trackId: 'slow-dancing', id: 'v/track:slow-dancing/50000000' });
    const posts = perVariant[0]?.(m, longTitles);
    expect(posts?.discord.content).toContain('Slow \\*Dancing\\* @\u200beveryone \\_mix\\_');
    expect(posts?.discord.content).not.toMatch(/@everyone/);
    expect(posts?.discord.embed.title).toContain('@\u200beveryone');
    expect(posts?.x).toContain('Slow *Dancing* @everyone _mix_');
  });
});

describe('variant rotation', () => {
  it('gives the same text when rendered again, by a renderer with freshly loaded templates', () => {
    const again = createPostRenderer(loadTemplates(postPlatforms), postFormats);
    for (const kind of milestoneKinds) {
      for (const language of languages) {
        const m = milestone(kind, { record: sampleRecord });
        expect(again(m, layover, { language })).toEqual(renderPosts(m, layover, { language }));
      }
    }
  });

  it("rotates a subject's consecutive milestones to a different variant", () => {
    const ladders: [Milestone['kind'], number[]][] = [
      ['track', [10e6, 20e6, 30e6, 40e6, 50e6, 60e6, 70e6, 80e6, 90e6, 100e6, 150e6, 200e6]],
      ['album', [100e6, 200e6, 300e6, 400e6, 500e6, 550e6, 600e6]],
      ['allTracks', [10e6, 20e6, 30e6, 40e6, 50e6]],
      ['artist', [900e6, 1000e6, 1500e6, 2000e6]],
      ['followers', [14e6, 15e6, 16e6]],
    ];
    for (const [kind, thresholds] of ladders) {
      const picks = thresholds.map((threshold) => variantIndex(milestone(kind, { threshold }), layover, 3));
      for (let i = 1; i < picks.length; i++) {
        expect(picks[i], `${kind} ${thresholds[i - 1]} -> ${thresholds[i]}`).not.toBe(picks[i - 1]);
      }
      const texts = thresholds.map((threshold) => renderPosts(milestone(kind, { threshold }), layover).x);
      const wording = texts.map((text) =>
        text.replace(/[\d.,]+\s*(MILLION|BILLION|million|billion|[MB])?/g, '#'),
      );
      for (let i = 1; i < wording.length; i++) expect(wording[i]).not.toBe(wording[i - 1]);
    }
  });

  it('has distinct variants in every template file', () => {
    for (const language of languages) {
      for (const platform of ['x', 'discord'] as const) {
        for (const kind of milestoneKinds) {
          const variants = templates[language][platform][kind];
          expect(variants.length, `${language} ${platform} ${kind}`).toBeGreaterThanOrEqual(3);
          expect(new Set(variants).size).toBe(variants.length);
        }
      }
    }
  });
});

describe('template overrides', () => {
  it('uses a valid override for its platform and kind only', () => {
    const posts = renderPosts(album500, layover, {
      overrides: { x: { album: 'Yay {{callName}}! {{album}} hit {{thresholdShort}} 💜' } },
    });
    expect(posts.x).toBe('Yay Taehyung! Layover hit 500M 💜');
    expect(posts.discord.content).toBe(renderPosts(album500, layover).discord.content);
    expect(renderPosts(milestone('track'), layover, { overrides: { x: { album: 'Yay' } } }).x).not.toBe(
      'Yay',
    );
  });

  it('falls back to the built-in templates for an override with an unknown placeholder or a mention', () => {
    const builtIn = renderPosts(album500, layover);
    for (const bad of [
      '{{nope}} {{album}}',
      '@everyone {{album}}',
      '{{#record}}unclosed',
      '<@&123> {{album}}',
    ]) {
      expect(
        renderPosts(album500, layover, { overrides: { discord: { album: bad }, x: { album: bad } } }),
      ).toEqual(builtIn);
    }
  });

  it('shortens an override that is too long for X by dropping hashtags, then the record', () => {
    const override = (n: number) => ({
      x: {
        album: `{{callName}} ${'so proud '.repeat(n)}{{#record}} beat {{recordHolder}} at {{recordDays}} days{{/record}} {{hashtags}}`,
      },
    });
    const fits = renderPosts(album500, layover, { overrides: override(25) }).x;
    expect(fits).toMatch(/beat FACE at 58 days #V #Layover$/);
    const noHashtags = renderPosts(album500, layover, { overrides: override(27) }).x;
    expectValidForX(noHashtags, 'override without hashtags');
    expect(noHashtags).toMatch(/so proud beat FACE at 58 days$/);
    const noRecord = renderPosts(album500, layover, { overrides: override(30) }).x;
    expectValidForX(noRecord, 'override without record');
    expect(noRecord).toBe(`Taehyung ${'so proud '.repeat(30).trim()}`);
  });
});
