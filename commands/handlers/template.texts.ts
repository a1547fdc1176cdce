import { kindTable } from '../../src/milestone-kinds.js';
import type { MilestoneKind } from '../../src/milestones/types.js';
import type { Texts } from '../../src/platforms/discord/interactions/reply-language.js';

/** Where the text of a `template preview` comes from. */
export type PreviewSource = 'builtIn' | 'builtInNotFitting' | 'server';

/** The texts of `/layover-mod template set|preview|reset`. */
export interface TemplateTexts {
  readonly unknownKind: (value: string) => string;
  readonly discordOnly: string;
  /** Added to a mention problem: the server's own role is pinged already. */
  readonly noRoleHint: string;
  readonly roleHint: (roleId: string) => string;
  readonly notSaved: (kind: MilestoneKind, problems: string) => string;
  readonly saved: (kind: MilestoneKind) => string;
  readonly nothingToPreview: (kind: MilestoneKind) => string;
  readonly source: Readonly<Record<PreviewSource, string>>;
  readonly preview: (kind: MilestoneKind, sample: boolean, source: string) => string;
  readonly postText: string;
  readonly reset: (kind: MilestoneKind) => string;
  readonly nothingToReset: (kind: MilestoneKind) => string;
}

/** How a reply names `kind` inside a sentence ("song", "album total"; "곡", "앨범 합계"). */
const noun = (kind: MilestoneKind) => kindTable[kind].command.noun;
const nounKo = (kind: MilestoneKind) => kindTable[kind].command.nounKo;

export const templateTexts: Texts<TemplateTexts> = {
  en: {
    unknownKind: (value) => `Unknown milestone kind "${value}".`,
    discordOnly: 'Server templates are for Discord posts only.',
    noRoleHint: 'This server mentions nobody; choose a role with `/layover-mod setup role:` to ping one.',
    roleHint: (roleId) =>
      `The configured role <@&${roleId}> is mentioned before every announcement already; no other mention is allowed.`,
    notSaved: (kind, problems) => `The ${noun(kind)} template was not saved:\n${problems}`,
    saved: (kind) =>
      `Saved. ${noun(kind)} announcements here now use this server's wording. \`/layover-mod template preview kind:${kind}\` shows a sample; \`/layover-mod template reset kind:${kind}\` goes back to the built-in one.`,
    nothingToPreview: (kind) => `No ${noun(kind)} milestones are configured, so there is nothing to preview.`,
    source: {
      builtIn: 'the built-in wording (this server has no template for this kind)',
      builtInNotFitting: "the built-in wording: this server's template did not fit this milestone",
      server: "this server's template",
    },
    preview: (kind, sample, source) =>
      `Preview of a ${sample ? 'SAMPLE ' : ''}${noun(kind)} announcement with ${source}:`,
    postText: 'Post text',
    reset: (kind) => `${noun(kind)} announcements here use the built-in wording again.`,
    nothingToReset: (kind) => `This server had no ${noun(kind)} template; the built-in wording is in use.`,
  },
  ko: {
    unknownKind: (value) => `알 수 없는 마일스톤 종류입니다: "${value}"`,
    discordOnly: '서버 템플릿은 Discord 게시물에만 쓸 수 있습니다.',
    noRoleHint:
      '이 서버는 아무도 멘션하지 않습니다. 역할을 멘션하려면 `/layover-mod setup role:`로 역할을 골라 주세요.',
    roleHint: (roleId) =>
      `설정한 역할(<@&${roleId}>)은 모든 알림 앞에 이미 멘션됩니다. 다른 멘션은 넣을 수 없습니다.`,
    notSaved: (kind, problems) => `${nounKo(kind)} 템플릿을 저장하지 않았습니다:\n${problems}`,
    saved: (kind) =>
      `저장했습니다. 이제 이 서버의 ${nounKo(kind)} 알림은 서버 템플릿 문구를 씁니다. 샘플 보기: \`/layover-mod template preview kind:${kind}\` · 기본 문구로 되돌리기: \`/layover-mod template reset kind:${kind}\``,
    nothingToPreview: (kind) => `${nounKo(kind)} 마일스톤이 설정되어 있지 않아 미리 볼 알림이 없습니다.`,
    source: {
      builtIn: '기본 문구 (이 서버에는 이 종류의 템플릿이 없습니다)',
      builtInNotFitting: '기본 문구 (이 서버의 템플릿이 이 마일스톤에 맞지 않았습니다)',
      server: '이 서버의 템플릿',
    },
    preview: (kind, sample, source) =>
      `${sample ? '샘플 ' : ''}${nounKo(kind)} 알림 미리 보기 · 사용한 문구: ${source}`,
    postText: '게시물 텍스트',
    reset: (kind) => `이제 이 서버의 ${nounKo(kind)} 알림은 다시 기본 문구를 씁니다.`,
    nothingToReset: (kind) => `이 서버에는 ${nounKo(kind)} 템플릿이 없었습니다. 기본 문구를 쓰고 있습니다.`,
  },
};
