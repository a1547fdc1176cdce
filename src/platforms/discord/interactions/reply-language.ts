/** Languages replies come in. */
export type ReplyLanguage = 'en' | 'ko';

/** Every reply language, in a fixed order (tests and docs walk them). */
export const replyLanguages: readonly ReplyLanguage[] = ['en', 'ko'];

/** The reply language for a Discord locale (`ko` → Korean; anything else, or none, → English). */
export function replyLanguage(locale: string | undefined): ReplyLanguage {
  return locale === 'ko' || locale?.startsWith('ko-') === true ? 'ko' : 'en';
}

/**
 * The texts of one area (a command, the approval buttons, …) in every reply language. Each area declares an
 * interface of its texts and a `Texts<ThatInterface>` record: a text missing in one language does not compile.
 */
export type Texts<T> = { readonly [L in ReplyLanguage]: T };

/** One message in every reply language. */
export type LocalizedText = Texts<string>;

/** `pick` applied to each language's texts: one message in every reply language. */
export function inEveryLanguage<T>(
  texts: Texts<T>,
  pick: (texts: T, language: ReplyLanguage) => string,
): LocalizedText {
  return { en: pick(texts.en, 'en'), ko: pick(texts.ko, 'ko') };
}
