/** The languages the bot posts and answers in: English and Korean. */
export type Language = 'en' | 'ko';
