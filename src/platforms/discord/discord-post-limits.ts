/** Discord's limit on a message's `content`. */
export const discordContentLimit = 2000;

/**
 * What our fan text may use of a message's `content`: the publisher may prepend a role mention
 * (`<@&` + up to 20 digits + `> `), so 32 characters are kept free.
 */
export const discordContentBudget = discordContentLimit - 32;

/** Discord's embed limits (https://discord.com/developers/docs/resources/message#embed-object-embed-limits). */
export const discordEmbedLimits = {
  title: 256,
  description: 4096,
  fieldName: 256,
  fieldValue: 1024,
  fields: 25,
  footer: 2048,
  total: 6000,
} as const;

/**
 * Whether `text` fits a Discord message with room for a role mention ({@link discordContentBudget}). Counted in
 * UTF-16 code units, never fewer than the characters Discord counts, so the check errs on the safe side.
 */
export function fitsDiscord(text: string): boolean {
  return text.trim().length > 0 && text.length <= discordContentBudget;
}
