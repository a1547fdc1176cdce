import { describe, expect, it } from 'vitest';
import { draftIdOf } from '../../src/platforms/discord/approval/approval-store.js';
import {
  approvalCustomId,
  decidedMessage,
  decisionLine,
  draftMessage,
  parseApprovalCustomId,
} from '../../src/platforms/discord/approval/draft-message.js';

describe('X approval ids and messages', () => {
  it('derives a short stable draft id that fits custom ids and nonces, different per key', () => {
    const key = `group-${'x'.repeat(200)}#0`;
    expect(draftIdOf(key)).toBe(draftIdOf(key));
    expect(draftIdOf(key)).toMatch(/^[0-9a-f]{20}$/);
    expect(draftIdOf(`${key}1`)).not.toBe(draftIdOf(key));
    expect(`xa${draftIdOf(key)}`.length).toBeLessThanOrEqual(25);
    expect(approvalCustomId('edited', draftIdOf(key)).length).toBeLessThanOrEqual(100);
  });

  it('reads back its own custom ids and ignores anything else', () => {
    const id = draftIdOf('g#1');
    for (const action of ['approve', 'edit', 'skip', 'edited'] as const)
      expect(parseApprovalCustomId(approvalCustomId(action, id))).toEqual({ action, draftId: id });
    for (const foreign of ['xapproval:delete:' + id, 'xapproval:approve:zz', 'other:approve:' + id, ''])
      expect(parseApprovalCustomId(foreign)).toBeNull();
  });

  it('quotes every line of the draft and offers Approve, Edit and Skip in that order', () => {
    const message = draftMessage(draftIdOf('g#0'), 'first line\n\n#V #Layover', ['v/artist/1000000000']);
    expect(message.content).toBe(
      '**X post waiting for approval**\n> first line\n> \n> #V #Layover\nMilestones: `v/artist/1000000000`',
    );
    expect(message.components[0]?.components.map((c) => ('label' in c ? c.label : null))).toEqual([
      'Approve',
      'Edit',
      'Skip',
    ]);
  });

  it('shows the edited text once decided, without buttons, within 2,000 characters', () => {
    const decided = decidedMessage(
      'drafted',
      ['m'],
      { state: 'approved', text: 'edited', by: 'mod', at: 0 },
      'en',
    );
    expect(decided.content).toContain('> edited');
    expect(decided.content).not.toContain('drafted');
    expect(decided.content).toContain('Approved by mod, with an edit.');
    expect(decided.components).toEqual([]);
    const long = decidedMessage('y'.repeat(3000), ['m'], { state: 'skipped', at: 0 }, 'en');
    expect(long.content.length).toBeLessThanOrEqual(2000);
    expect(long.content).toMatch(/Skipped: nothing goes to X\.$/);
  });

  it('words the decided draft in the deciding moderator’s language', () => {
    const decided = decidedMessage(
      'drafted',
      ['m'],
      { state: 'approved', text: 'edited', by: '민지', at: 0 },
      'ko',
    );
    expect(decided.content).toBe(
      '**X 게시물 승인됨**\n> edited\n마일스톤: `m`\n민지 님이 수정해서 승인했습니다.',
    );
    const skipped = decidedMessage('drafted', ['m'], { state: 'skipped', at: 0 }, 'ko');
    expect(skipped.content).toMatch(/건너뛰었습니다: X에는 아무것도 올리지 않습니다\.$/);
  });

  it('says a replaced draft was planned again without the milestones that no longer go out, in both languages', () => {
    const replaced = { state: 'replaced', heldBack: ['v/track:blue/40000000'], at: 0 } as const;
    expect(decidedMessage('drafted', ['v/track:blue/40000000', 'm'], replaced, 'en')).toEqual({
      content:
        '**X post replaced**\n> drafted\nMilestones: `v/track:blue/40000000`, `m`\n' +
        'Replaced by a new draft: `v/track:blue/40000000` no longer go out (stale data, superseded by a higher ' +
        'milestone, or failed), so the post was planned again without them. Nothing goes to X from this draft.',
      components: [],
    });
    expect(decidedMessage('drafted', ['m'], replaced, 'ko').content).toMatch(
      /^\*\*X 게시물 대체됨\*\*\n> drafted\n마일스톤: `m`\n새 초안으로 대체되었습니다: `v\/track:blue\/40000000`은\(는\)/,
    );
    // Without the milestones' names (none recorded), it still says what happened.
    expect(decisionLine({ state: 'replaced', heldBack: [], at: 0 }, 'en')).toMatch(
      /^Replaced by a new draft: some of its milestones no longer go out/,
    );
  });

  it('says a draft given up, or withdrawn, will never be posted and why, in both languages', () => {
    const givenUp = {
      state: 'givenUp',
      reason: 'not approved within 72 h (X_MAX_WAIT_HOURS)',
      at: 0,
    } as const;
    expect(decidedMessage('drafted', ['m'], givenUp, 'en')).toEqual({
      content:
        '**X post given up**\n> drafted\nMilestones: `m`\nNot posted: not approved within 72 h (X_MAX_WAIT_HOURS). ' +
        'Its milestones are recorded as failed; nothing goes to X from this draft.',
      components: [],
    });
    expect(decidedMessage('drafted', ['m'], givenUp, 'ko').content).toMatch(
      /^\*\*X 게시물 포기됨\*\*\n> drafted\n마일스톤: `m`\n게시하지 않음: not approved within 72 h \(X_MAX_WAIT_HOURS\)\. /,
    );
    const withdrawn = {
      state: 'withdrawn',
      heldBack: [
        { id: 'm', reason: 'superseded by n, a higher milestone of the same subject for this destination' },
        {
          id: 'o',
          reason: 'stale data: observed 50 h before it would be posted (more than ANNOUNCE_MAX_AGE_HOURS=48)',
        },
      ],
      at: 0,
    } as const;
    expect(decidedMessage('drafted', ['m', 'o'], withdrawn, 'en').content).toBe(
      '**X post withdrawn**\n> drafted\nMilestones: `m`, `o`\nWithdrawn: none of its milestones go out any more ' +
        '(`m`: superseded by n, a higher milestone of the same subject for this destination; `o`: stale data: ' +
        'observed 50 h before it would be posted (more than ANNOUNCE_MAX_AGE_HOURS=48)), and no other post is ' +
        'planned in its place. Nothing goes to X from this draft.',
    );
    expect(decidedMessage('drafted', ['m'], withdrawn, 'ko').content).toMatch(
      /^\*\*X 게시물 철회됨\*\*\n> drafted\n마일스톤: `m`\n철회되었습니다: /,
    );
    expect(decisionLine({ state: 'withdrawn', heldBack: [], at: 0 }, 'en')).toMatch(
      /^Withdrawn: none of its milestones go out any more \(stale data, or superseded by a higher milestone\)/,
    );
  });

  it('says a draft whose milestones failed will never be posted, naming each with its reason, in both languages', () => {
    const failed = {
      state: 'failed',
      milestones: [
        { id: 'm', reason: 'gave up after 8 attempts: X request failed: socket hang up' },
        { id: 'o', reason: 'superseded by p, a higher milestone of the same subject for this destination' },
      ],
      at: 0,
    } as const;
    expect(decidedMessage('drafted', ['m', 'o'], failed, 'en')).toEqual({
      content:
        '**X post failed**\n> drafted\nMilestones: `m`, `o`\nFailed: `m`: gave up after 8 attempts: X request ' +
        'failed: socket hang up; `o`: superseded by p, a higher milestone of the same subject for this destination. ' +
        'No other post is planned in its place, and nothing goes to X from this draft.',
      components: [],
    });
    expect(decidedMessage('drafted', ['m', 'o'], failed, 'ko').content).toBe(
      '**X 게시물 실패**\n> drafted\n마일스톤: `m`, `o`\n실패했습니다: `m`: gave up after 8 attempts: X request ' +
        'failed: socket hang up; `o`: superseded by p, a higher milestone of the same subject for this destination. ' +
        '대신 계획된 게시물도 없으며, 이 초안으로는 X에 아무것도 올리지 않습니다.',
    );
    expect(decisionLine({ state: 'failed', milestones: [], at: 0 }, 'en')).toMatch(
      /^Failed: its milestones could not be posted\. /,
    );
    // An approved draft keeps its decision, and says why it was not posted.
    const approved = { state: 'approved', by: 'mod', at: 0 } as const;
    expect(decidedMessage('drafted', ['m'], approved, 'en', { notPosted: failed }).content).toMatch(
      /^\*\*X post approved, not posted\*\*\n> drafted\nMilestones: `m`\nApproved by mod\.\nFailed: `m`: /,
    );
  });

  it('keeps an approved draft’s decision and adds that it was not posted after all, in both languages', () => {
    const approved = { state: 'approved', text: 'edited', by: 'mod', at: 0 } as const;
    const why = { state: 'replaced', heldBack: ['m'] } as const;
    expect(decidedMessage('drafted', ['m'], approved, 'en', { notPosted: why })).toEqual({
      content:
        '**X post approved, not posted**\n> edited\nMilestones: `m`\nApproved by mod, with an edit.\n' +
        'Replaced by a new draft: `m` no longer go out (stale data, superseded by a higher milestone, or failed), ' +
        'so the post was planned again without them. Nothing goes to X from this draft.',
      components: [],
    });
    expect(
      decidedMessage('drafted', ['m'], approved, 'ko', {
        notPosted: { state: 'givenUp', reason: 'no X budget' },
      }).content,
    ).toBe(
      '**X 게시물 승인됨, 게시되지 않음**\n> edited\n마일스톤: `m`\nmod 님이 수정해서 승인했습니다.\n' +
        '게시하지 않음: no X budget. 이 게시물의 마일스톤은 실패로 기록되었고, 이 초안으로는 X에 아무것도 올리지 않습니다.',
    );
    // Without it, an approved draft reads as before.
    expect(decidedMessage('drafted', ['m'], approved, 'en', { notPosted: null }).content).toMatch(
      /^\*\*X post approved\*\*\n/,
    );
  });
});
