import { knownPlaceholders } from './placeholders.js';
import type { Language } from './types.js';

/** A Discord mention a template may not contain. */
export type MentionKind = 'everyone' | 'here' | 'role' | 'user';

/**
 * One thing wrong with a template override, as data: {@link templateProblemText} words it in English (the
 * checks' messages, logs, the CLI) or in Korean (a Korean moderator's `/layover-mod template set`).
 * `rendered` problems come from the text once its placeholders and sections are filled in.
 */
export type TemplateProblem =
  | { readonly kind: 'empty' }
  | { readonly kind: 'syntax'; readonly detail: string }
  | { readonly kind: 'partial'; readonly name: string }
  | { readonly kind: 'delimiters' }
  | { readonly kind: 'unknownPlaceholder'; readonly name: string }
  | { readonly kind: 'mention'; readonly mention: MentionKind; readonly rendered: boolean }
  | { readonly kind: 'maskedLink'; readonly rendered: boolean }
  | { readonly kind: 'rendersEmpty'; readonly values: Language }
  | { readonly kind: 'tooLongForX'; readonly weighted: number; readonly values: Language }
  | { readonly kind: 'invalidOnX' }
  | {
      readonly kind: 'tooLongForDiscord';
      readonly length: number;
      readonly limit: number;
      readonly values: Language;
    };

const mentionWords: { readonly [L in Language]: Readonly<Record<MentionKind, string>> } = {
  en: {
    everyone: '@everyone',
    here: '@here',
    role: 'a role mention (<@&…>)',
    user: 'a user mention (<@…>)',
  },
  ko: {
    everyone: '@everyone',
    here: '@here',
    role: '역할 멘션(<@&…>)',
    user: '사용자 멘션(<@…>)',
  },
};

function englishText(problem: TemplateProblem): string {
  const where = (values: Language) =>
    `with the longest realistic ${values === 'ko' ? 'Korean' : 'English'} values`;
  switch (problem.kind) {
    case 'empty':
      return 'the template is empty';
    case 'syntax':
      return `template syntax error: ${problem.detail}`;
    case 'partial':
      return `partials are not supported ({{> ${problem.name}}})`;
    case 'delimiters':
      return 'changing the {{ }} delimiters is not supported';
    case 'unknownPlaceholder':
      return `unknown placeholder {{${problem.name}}}; known placeholders: ${knownPlaceholders.join(', ')}`;
    case 'mention':
      return problem.rendered
        ? `mentions are not allowed ${mentionWords.en[problem.mention]} (once rendered)`
        : `mentions are not allowed in a template: it contains ${mentionWords.en[problem.mention]}`;
    case 'maskedLink':
      return problem.rendered
        ? 'masked links ([text](url)) are not allowed (once rendered)'
        : 'masked links ([text](url)) are not allowed in a template';
    case 'rendersEmpty':
      return `the template renders to an empty post ${where(problem.values)}`;
    case 'tooLongForX':
      return `too long for X: renders to ${problem.weighted} weighted characters ${where(problem.values)}; the limit is 280`;
    case 'invalidOnX':
      return 'not a valid post on X (it contains characters X refuses)';
    case 'tooLongForDiscord':
      return `too long for Discord: renders to ${problem.length} characters ${where(problem.values)}; the limit for a template is ${problem.limit}`;
  }
}

function koreanText(problem: TemplateProblem): string {
  const where = (values: Language) => `가장 긴 실제 ${values === 'ko' ? '한국어' : '영어'} 값으로 렌더링하면`;
  switch (problem.kind) {
    case 'empty':
      return '템플릿이 비어 있습니다';
    case 'syntax':
      return `템플릿 문법 오류: ${problem.detail}`;
    case 'partial':
      return `파셜은 지원하지 않습니다 ({{> ${problem.name}}})`;
    case 'delimiters':
      return '{{ }} 구분자는 바꿀 수 없습니다';
    case 'unknownPlaceholder':
      return `알 수 없는 플레이스홀더 {{${problem.name}}}입니다. 쓸 수 있는 플레이스홀더: ${knownPlaceholders.join(', ')}`;
    case 'mention':
      return problem.rendered
        ? `렌더링한 결과에 멘션이 들어갑니다: ${mentionWords.ko[problem.mention]}`
        : `템플릿에는 멘션을 넣을 수 없습니다: ${mentionWords.ko[problem.mention]}`;
    case 'maskedLink':
      return problem.rendered
        ? '렌더링한 결과에 마스크 링크([텍스트](url))가 들어갑니다'
        : '템플릿에는 마스크 링크([텍스트](url))를 넣을 수 없습니다';
    case 'rendersEmpty':
      return `${where(problem.values)} 빈 게시물이 됩니다`;
    case 'tooLongForX':
      return `X에 올리기에는 너무 깁니다: ${where(problem.values)} 가중치 기준 ${problem.weighted}자이며, 한도는 280자입니다`;
    case 'invalidOnX':
      return 'X에 올릴 수 없는 글입니다 (X가 받지 않는 문자가 들어 있습니다)';
    case 'tooLongForDiscord':
      return `Discord에 올리기에는 너무 깁니다: ${where(problem.values)} ${problem.length}자이며, 템플릿 한도는 ${problem.limit}자입니다`;
  }
}

/** `problem` in words, in `language`. */
export function templateProblemText(problem: TemplateProblem, language: Language): string {
  return language === 'ko' ? koreanText(problem) : englishText(problem);
}
