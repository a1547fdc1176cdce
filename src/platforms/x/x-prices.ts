import twitterText from 'twitter-text';

/**
 * X's pay-per-use prices in US dollars, per request (writes) or per post returned (reads). The defaults are X's
 * published rates (see docs/x.md for the date); each one is a setting, because X changes them.
 */
export interface XPrices {
  /** `X_PRICE_POST_USD`: a post without a link. */
  readonly postUsd: number;
  /** `X_PRICE_POST_WITH_URL_USD`: a post whose text holds a link. */
  readonly postWithUrlUsd: number;
  /** `X_PRICE_MEDIA_METADATA_USD`: one `POST /2/media/metadata` (a card's alt text). */
  readonly mediaMetadataUsd: number;
  /** `X_PRICE_OWNED_READ_USD`: each of the account's own posts returned by a look-up. */
  readonly ownedReadUsd: number;
}

export const defaultXPrices: XPrices = {
  postUsd: 0.015,
  postWithUrlUsd: 0.2,
  mediaMetadataUsd: 0.005,
  ownedReadUsd: 0.001,
};

/** Dollars to whole micro-dollars, the unit the budget counts in (no float drift over a day of posts). */
export function toMicros(usd: number): number {
  return Math.round(usd * 1_000_000);
}

/** Whether X reads a link in `text` (twitter-text's URL extraction, as X's own counting does). */
export function hasXLink(text: string): boolean {
  return twitterText.extractUrls(text).length > 0;
}

/** What sending `text` as a post costs, in micro-dollars: the link price when X reads a link in it. */
export function postCostMicros(text: string, prices: XPrices): number {
  return toMicros(hasXLink(text) ? prices.postWithUrlUsd : prices.postUsd);
}
