/** A failure no retry can fix (missing permission, deleted channel, suspended account). Recorded as failed. */
export class PermanentPublishError extends Error {
  constructor(
    message: string,
    readonly reason: string,
  ) {
    super(message);
    this.name = 'PermanentPublishError';
  }
}

/** The platform reports that this exact post already exists; the ledger records it as sent. */
export class AlreadyPublishedError extends Error {
  constructor(
    message: string,
    readonly platformId: string,
    /** The text we tried to post, for the ledger. */
    readonly text = '',
  ) {
    super(message);
    this.name = 'AlreadyPublishedError';
  }
}

/** The platform asks us to wait until `retryAt` (epoch ms) before trying again; not counted as a failed attempt. */
export class RateLimitedError extends Error {
  constructor(
    message: string,
    readonly retryAt: number,
  ) {
    super(message);
    this.name = 'RateLimitedError';
  }
}
