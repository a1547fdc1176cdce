import type { IncomingMessage } from 'node:http';
import { Agent, get } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiResponseError } from 'twitter-api-v2';
import { classifyXError, sameXText, XClient } from '../../src/platforms/x/x-client.js';
import { XEmulator } from '../../emulators/x-emulator.js';

const credentials = {
  appKey: 'app-key',
  appSecret: 'app-secret',
  accessToken: 'access-token',
  accessSecret: 'access-secret',
};

describe('XClient against the HTTPS emulator', () => {
  let emulator: XEmulator;
  let client: XClient;
  beforeAll(async () => {
    emulator = await XEmulator.start(credentials);
    client = new XClient({
      credentials,
      apiUrl: emulator.url,
      timeoutMs: 2000,
      httpAgent: new Agent({ ca: emulator.ca }),
    });
  });
  afterAll(async () => {
    await emulator.close();
  });

  it('signs requests with a well-formed OAuth 1.0a header that the emulator verifies', async () => {
    const me = await client.me();
    expect(me).toEqual({ id: '4242', username: 'layovercharts', accessLevel: 'read-write' });
    const post = await client.createPost('Rainy Days passed 100M streams on Spotify 🎉 #V', null);
    expect(emulator.posts.map((p) => p.id)).toEqual([post.id]);
    expect(emulator.requests.every((r) => r.authProblems.length === 0)).toBe(true);
  });

  it('is refused with 401 when a secret is wrong', async () => {
    const wrong = new XClient({
      credentials: { ...credentials, accessSecret: 'nope' },
      apiUrl: emulator.url,
      timeoutMs: 2000,
      httpAgent: new Agent({ ca: emulator.ca }),
    });
    const error = await wrong.me().catch((e: unknown) => e);
    expect(classifyXError(error, Date.now())).toMatchObject({ type: 'account' });
    expect(emulator.requests.at(-1)?.authProblems).toEqual(['oauth_signature does not match']);
  });

  it('reads the token’s access level and the account’s own recent posts, as X gives them back', async () => {
    emulator.setAccessLevel('read');
    expect((await client.me()).accessLevel).toBe('read');
    emulator.setAccessLevel('read-write');
    const made = await client.createPost('Fish & chips <3 for 100M', null);
    const recent = await client.recentPosts('4242', 5);
    expect(recent[0]?.id).toBe(made.id);
    // Reads escape &, < and >; sameXText undoes it.
    expect(recent[0]?.text).toBe('Fish &amp; chips &lt;3 for 100M');
    expect(sameXText(recent[0]?.text ?? '', 'Fish & chips <3 for 100M')).toBe(true);
    expect(sameXText('Fish &amp; chips https://t.co/abc123', 'Fish & chips')).toBe(true);
    expect(emulator.requests.at(-1)?.path).toBe('/2/users/4242/tweets?max_results=5&exclude=retweets');
    expect(emulator.requests.at(-1)?.authProblems).toEqual([]);
  });

  it('refuses a text over 280 weighted characters with X’s 400: generic detail, specifics in errors[]', async () => {
    const error = await client.createPost('가'.repeat(141), null).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiResponseError);
    const data = (error as ApiResponseError).data as { detail: string; errors: { message: string }[] };
    expect(data.detail).toBe('One or more parameters to your request was invalid.');
    expect(data.errors[0]?.message).toMatch(/weighted length 282 is over 280/);
    const failure = classifyXError(error, Date.now());
    expect(failure).toMatchObject({ type: 'rejected' });
    expect('reason' in failure ? failure.reason : '').toMatch(
      /X answered 400: One or more parameters.*\(\$\.text: weighted length 282 is over 280/,
    );
    // 140 Korean syllables weigh exactly 280 and pass.
    const accepted = await client.createPost('가'.repeat(140), null);
    expect(emulator.posts.at(-1)?.id).toBe(accepted.id);
  });

  it('puts x-rate-limit-* on every answer, errors and unsigned requests included', async () => {
    const headers: Record<string, string | string[] | undefined>[] = [];
    for (const attempt of [client.createPost('', null), client.recentPosts('not-a-number', 5)]) {
      const error = await attempt.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ApiResponseError);
      headers.push((error as ApiResponseError).headers);
    }
    const unsigned = await new Promise<IncomingMessage>((resolve, reject) =>
      get(`${emulator.url}/2/users/me`, { agent: new Agent({ ca: emulator.ca }) }, resolve).on(
        'error',
        reject,
      ),
    );
    unsigned.resume();
    expect(unsigned.statusCode).toBe(401);
    headers.push(unsigned.headers);
    for (const h of headers) {
      expect(h['x-rate-limit-limit']).toMatch(/^\d+$/);
      expect(h['x-rate-limit-remaining']).toMatch(/^\d+$/);
      expect(h['x-rate-limit-reset']).toMatch(/^\d{10}$/);
    }
  });

  it('sorts X’s account problems: 402, oauth1-permissions and client-forbidden 403s pause; a reply restriction is its own', async () => {
    const cases = [
      ['noCredits', 'account', /402 Payment Required/],
      ['readOnly', 'account', /Read and write.*regenerate/],
      ['clientForbidden', 'account', /Client Forbidden/],
    ] as const;
    for (const [kind, type, reason] of cases) {
      emulator.fail({ kind });
      const failure = classifyXError(
        await client.createPost(`case ${kind}`, null).catch((e: unknown) => e),
        0,
      );
      expect(failure.type).toBe(type);
      expect('reason' in failure ? failure.reason : '').toMatch(reason);
    }
    const parent = await client.createPost('a parent post', null);
    emulator.failReply({ kind: 'replyRestricted' });
    const refused = await client.createPost('a reply', parent.id).catch((e: unknown) => e);
    expect(classifyXError(refused, 0).type).toBe('replyRefused');
  });
});
