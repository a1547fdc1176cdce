import { classifyXError, READ_ONLY_FIX, type XAccount, type XClient } from './x-client.js';

/** Raised at start-up when X refuses the credentials, or cannot be asked. Never carries a secret. */
export class XCredentialsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'XCredentialsError';
  }
}

/**
 * `GET /2/users/me` once: the account the credentials post as, or an {@link XCredentialsError} saying what to fix.
 * A token X reports as read-only (`x-access-level: read`) is refused here, before any milestone would fail on it.
 */
export async function verifyXAccount(client: XClient): Promise<XAccount> {
  let me: Awaited<ReturnType<XClient['me']>>;
  try {
    me = await client.me();
  } catch (error) {
    const failure = classifyXError(error, Date.now());
    if (failure.type === 'account') {
      throw new XCredentialsError(
        `X refused the credentials (${failure.reason}). Check X_APP_KEY, X_APP_SECRET, X_ACCESS_TOKEN and ` +
          'X_ACCESS_SECRET: the access token must belong to the posting account and be generated after the app ' +
          'got "Read and write" permission.',
      );
    }
    const reason = 'reason' in failure ? failure.reason : failure.type;
    throw new XCredentialsError(`could not verify the X credentials at X_API_URL: ${reason}`);
  }
  if (me.accessLevel === 'read') {
    throw new XCredentialsError(
      `the X access token in X_ACCESS_TOKEN is read-only (X answered x-access-level: read for @${me.username}), so ` +
        `X would refuse every post: ${READ_ONLY_FIX}.`,
    );
  }
  return { id: me.id, username: me.username };
}
