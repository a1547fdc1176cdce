import { knownPlaceholders } from './placeholders.js';
import type { Language } from './types.js';

/**
 * Why a template, rendered with the longest realistic values, does not fit a platform: data, not words, so that
 * posts/ can word it in any language (`templateProblemText`) without knowing the platform.
 */
export type FitProblem =
  | {
      readonly kind: 'tooLong';
      /** The platform as fans know it ("X", "Discord"). */
      readonly platform: string;
      /** The rendered text's length in `unit`. */
      readonly measured: number;
      readonly limit: number;
      /** Plain characters, or a weighted count (X's twitter-text rule). */
      readonly unit: 'characters' | 'weighted';
      /** The platform's own limit on a post, or a smaller one for templates (room kept for what is added). */
      readonly limitOf: 'post' | 'template';
    }
  | {
      /** Not too long, but holding characters the platform refuses. */
      readonly kind: 'refusedCharacters';
      readonly platform: string;
    };

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
  /** Unfit for the platform (its format's {@link FitProblem}) when rendered with `values`' longest wording. */
  | (FitProblem & { readonly values: Language });

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
    case 'tooLong':
      return `too long for ${problem.platform}: renders to ${problem.measured} ${problem.unit === 'weighted' ? 'weighted characters' : 'characters'} ${where(problem.values)}; the limit ${problem.limitOf === 'template' ? 'for a template ' : ''}is ${problem.limit}`;
    case 'refusedCharacters':
      return `not a valid post on ${problem.platform} (it contains characters ${problem.platform} refuses)`;
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
    case 'tooLong':
      return `${problem.platform}에 올리기에는 너무 깁니다: ${where(problem.values)} ${problem.unit === 'weighted' ? '가중치 기준 ' : ''}${problem.measured}자이며, ${problem.limitOf === 'template' ? '템플릿 ' : ''}한도는 ${problem.limit}자입니다`;
    case 'refusedCharacters':
      return `${problem.platform}에 올릴 수 없는 글입니다 (${problem.platform}에서 받지 않는 문자가 들어 있습니다)`;
  }
}

/** `problem` in words, in `language`. */
export function templateProblemText(problem: TemplateProblem, language: Language): string {
  return language === 'ko' ? koreanText(problem) : englishText(problem);
}
