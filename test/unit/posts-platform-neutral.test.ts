import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { milestoneKinds } from '../../src/milestone-kinds.js';
import type { PostFormat } from '../../src/posts/post-format.js';
import { createPostRenderer } from '../../src/posts/render-posts.js';
import { loadTemplates, templateFile } from '../../src/posts/template-store.js';
import {
  templateProblems,
  templateProblemText,
  validateTemplate,
} from '../../src/posts/validate-template.js';
import { layover, milestone, sampleRecord } from '../helpers/posts-fixtures.js';

/**
 * A platform posts/ has never heard of: plain text of at most 90 characters, shouted, whose post is the text and
 * its length. If posts/ still knew X or Discord by name, rendering for it could not work.
 */
const pagerLimit = 90;
const pagerFormat: PostFormat<{ readonly text: string; readonly length: number }> = {
  view: (view) => ({ ...view, subject: view.subject.toUpperCase() }),
  rule: { fits: (text) => text.trim() !== '' && text.length <= pagerLimit, maxChars: pagerLimit },
  post: (text) => ({ text, length: text.length }),
  text: (post) => post.text,
  lengthProblem: (text) =>
    text.length > pagerLimit
      ? {
          kind: 'tooLong',
          platform: 'Pager',
          measured: text.length,
          limit: pagerLimit,
          unit: 'characters',
          limitOf: 'post',
        }
      : null,
};

const dir = mkdtempSync(join(tmpdir(), 'layover-pager-templates-'));
for (const language of ['en', 'ko'] as const) {
  mkdirSync(join(dir, language), { recursive: true });
  for (const kind of milestoneKinds) {
    writeFileSync(
      templateFile(dir, language, 'pager', kind),
      '{{subject}} passed {{threshold}}{{#record}}, beating {{recordHolder}} for the {{recordTitle}}{{/record}}! {{hashtags}}\n',
    );
  }
}
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('posts for a platform named only by its format', () => {
  const render = createPostRenderer(loadTemplates(['pager'], dir), { pager: pagerFormat });

  it('renders with the platform’s templates, view and post, under its name alone', () => {
    const posts = render(milestone('album', { threshold: 500_000_000 }), layover);
    expect(Object.keys(posts)).toEqual(['pager']);
    expect(posts.pager.text).toMatch(/^LAYOVER /);
    expect(posts.pager.length).toBe(posts.pager.text.length);
  });

  it('fits the text to the platform’s own rule, shortening before it gives up the record', () => {
    const m = milestone('album', { threshold: 500_000_000, record: sampleRecord });
    const posts = render(m, layover);
    expect(posts.pager.text.length).toBeLessThanOrEqual(pagerLimit);
    expect(posts.pager.text).toMatch(/^LAYOVER passed 500 million, beating FACE for the fastest .*…!$/);
  });

  it('takes a server template keyed by the platform’s name, and only that one', () => {
    const m = milestone('track', { threshold: 100_000_000 });
    const own = render(m, layover, { overrides: { pager: { track: 'Go {{subject}}! {{thresholdShort}}' } } });
    expect(own.pager.text).toBe('Go RAINY DAYS! 100M');
    const other = render(m, layover, { overrides: { x: { track: 'Go {{subject}}!' } } });
    expect(other).toEqual(render(m, layover));
  });

  it('checks a template against the platform’s own length rule', () => {
    const target = { format: pagerFormat, kind: 'album' as const, language: 'en' as const };
    expect(validateTemplate('{{subject}} {{thresholdShort}}', target)).toEqual({ ok: true });
    const result = validateTemplate('{{subject}} passed {{threshold}} streams, {{recordTitle}}', target);
    expect(result).toEqual({
      ok: false,
      errors: [
        expect.stringMatching(
          /^too long for Pager: renders to \d+ characters with the longest realistic English values; the limit is 90$/,
        ),
      ],
    });
    // The problem is data, so it is worded in Korean too without the format knowing any words.
    const [problem] = templateProblems('{{subject}} passed {{threshold}} streams, {{recordTitle}}', target);
    expect(problem).toMatchObject({ kind: 'tooLong', platform: 'Pager', limit: 90, values: 'en' });
    expect(templateProblemText(problem!, 'ko')).toMatch(
      /^Pager에 올리기에는 너무 깁니다: 가장 긴 실제 영어 값으로 렌더링하면 \d+자이며, 한도는 90자입니다$/,
    );
  });
});
