import { describe, expect, it } from 'vitest';
import { postPlatforms } from '../../src/platform-posts/post-formats.js';
import { validatePlatformTemplate as validateTemplate } from '../../src/platform-posts/validate-platform-template.js';
import { loadTemplates } from '../../src/posts/template-store.js';
import {
  knownPlaceholders,
  mentionProblems,
  templatePlaceholders,
} from '../../src/posts/validate-template.js';
import { milestoneKinds } from '../../src/tracking/schema.js';
import { layover, layoverConfig, trackingFrom } from '../helpers/posts-fixtures.js';

function errorsOf(result: ReturnType<typeof validateTemplate>): readonly string[] {
  return result.ok ? [] : result.errors;
}

describe('template override validation', () => {
  it('accepts a reasonable override for every kind and platform', () => {
    const text =
      '🎉 {{callName}}! {{subject}} passed {{threshold}}{{#inDays}} {{inDays}}{{/inDays}}!' +
      '{{#record}} Beat {{recordHolder}} ({{recordDaysLabel}}).{{/record}}{{#lastTrack}} Last: {{lastTrack}}.{{/lastTrack}} {{hashtags}}';
    for (const kind of milestoneKinds) {
      for (const platform of ['x', 'discord'] as const) {
        expect(validateTemplate(text, { platform, kind, tracking: layover })).toEqual({ ok: true });
      }
    }
  });

  it('exports the known placeholders, each documented', () => {
    expect(knownPlaceholders).toContain('callName');
    expect(knownPlaceholders).toContain('record');
    expect(knownPlaceholders).toHaveLength(Object.keys(templatePlaceholders).length);
    for (const name of knownPlaceholders) expect(templatePlaceholders[name].length).toBeGreaterThan(10);
  });

  it('refuses an unknown placeholder, naming it and the known ones', () => {
    const errors = errorsOf(
      validateTemplate('Congrats {{callname}}!', { platform: 'discord', kind: 'album' }),
    );
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(
      /^unknown placeholder \{\{callname\}\}; known placeholders: callName, artist, /,
    );
  });

  it('refuses unknown section names, partials and delimiter changes', () => {
    expect(
      errorsOf(validateTemplate('{{#isRecord}}yes{{/isRecord}}', { platform: 'x', kind: 'album' }))[0],
    ).toContain('unknown placeholder {{isRecord}}');
    expect(errorsOf(validateTemplate('{{> header}} {{album}}', { platform: 'x', kind: 'album' }))).toEqual([
      'partials are not supported ({{> header}})',
    ]);
    expect(errorsOf(validateTemplate('{{=<% %>=}} <% album %>', { platform: 'x', kind: 'album' }))).toEqual([
      'changing the {{ }} delimiters is not supported',
    ]);
  });

  it('refuses broken mustache syntax with the parser message', () => {
    expect(
      errorsOf(validateTemplate('{{#record}}beat {{recordHolder}}', { platform: 'x', kind: 'album' })),
    ).toEqual([expect.stringMatching(/^template syntax error: Unclosed section "record"/)]);
  });

  it.each([
    ['@everyone', '@everyone'],
    ['@here', '@here'],
    ['<@123456789012345678>', 'a user mention (<@…>)'],
    ['<@!123456789012345678>', 'a user mention (<@…>)'],
    ['<@&123456789012345678>', 'a role mention (<@&…>)'],
  ])('refuses a template that mentions %s', (mention, what) => {
    const errors = errorsOf(
      validateTemplate(`${mention} {{album}} hit {{threshold}}!`, { platform: 'discord', kind: 'album' }),
    );
    expect(errors).toEqual([`mentions are not allowed in a template: it contains ${what}`]);
  });

  it('lists every problem at once', () => {
    const errors = errorsOf(
      validateTemplate('@EVERYONE {{nope}} <@&1>', { platform: 'discord', kind: 'album' }),
    );
    expect(errors).toHaveLength(3);
  });

  it('refuses a template too long for X with the longest realistic values, giving the weighted length', () => {
    const text = `{{callName}}!! {{album}} passed {{thresholdCaps}} streams {{inDays}}{{#record}}, breaking {{recordHolder}}'s {{recordDaysLabel}} record for the {{recordTitle}}{{/record}}! {{hashtags}}`;
    // Short with real Layover values, but album titles and record titles can be far longer.
    const errors = errorsOf(validateTemplate(text, { platform: 'x', kind: 'album' }));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(
      /^too long for X: renders to \d+ weighted characters with the longest realistic English values; the limit is 280$/,
    );
  });

  it('counts Korean at double weight on X', () => {
    const korean = '태형아 축하해 '.repeat(20); // 160 characters: 120 Hangul (weight 2) and 40 spaces
    const errors = errorsOf(
      validateTemplate(`${korean}{{threshold}}`, { platform: 'x', kind: 'album', language: 'ko' }),
    );
    const weighted = Number(/renders to (\d+) weighted/.exec(errors[0] ?? '')?.[1]);
    expect(weighted).toBeGreaterThan(280);
    expect(`${korean}15억 5,000만`.length).toBeLessThan(200);
    expect(
      validateTemplate(`${'태형아 축하해 '.repeat(10)}{{threshold}}`, { platform: 'x', kind: 'album' }),
    ).toEqual({
      ok: true,
    });
  });

  it("uses the tracking config's own titles when they are longer", () => {
    const longTrack = trackingFrom({
      ...layoverConfig,
      videos: [],
      albums: [
        {
          id: 'layover',
          title: 'Layover',
          releasedAt: '2023-09-08T13:00:00+09:00',
          tracks: [{ id: 'blue', title: `Blue ${'and more '.repeat(20)}` }],
        },
      ],
    });
    const text = '{{track}} / {{track}} passed {{threshold}}';
    expect(validateTemplate(text, { platform: 'x', kind: 'track' })).toEqual({ ok: true });
    expect(
      errorsOf(validateTemplate(text, { platform: 'x', kind: 'track', tracking: longTrack }))[0],
    ).toMatch(/^too long for X/);
  });

  it('refuses a template too long for Discord, leaving room for a role mention', () => {
    const errors = errorsOf(
      validateTemplate(`{{album}} ${'streaming '.repeat(195)}`, { platform: 'discord', kind: 'album' }),
    );
    expect(errors).toEqual([
      expect.stringMatching(
        /^too long for Discord: renders to \d+ characters .*; the limit for a template is 1968$/,
      ),
    ]);
  });

  it('refuses an empty template', () => {
    expect(validateTemplate('  \n', { platform: 'x', kind: 'album' })).toEqual({
      ok: false,
      errors: ['the template is empty'],
    });
    expect(errorsOf(validateTemplate('{{lastTrack}}', { platform: 'x', kind: 'album' }))).toEqual([
      'the template renders to an empty post with the longest realistic English values',
    ]);
  });

  it('refuses a platform that has no posts, naming the platforms that have', () => {
    expect(validateTemplate('{{album}} {{threshold}}', { platform: 'mastodon', kind: 'album' })).toEqual({
      ok: false,
      errors: ['no platform named "mastodon" has posts; the platforms are x, discord'],
    });
  });

  it('finds no mentions in the built-in templates', () => {
    const set = loadTemplates(postPlatforms);
    for (const language of ['en', 'ko'] as const) {
      for (const platform of ['x', 'discord'] as const) {
        for (const variants of Object.values(set[language][platform])) {
          for (const variant of variants) expect(mentionProblems(variant)).toEqual([]);
        }
      }
    }
  });
});
