import { Agent } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifyXError, XClient } from '../../src/platforms/x/x-client.js';
import { XEmulator } from '../helpers/x-emulator.js';

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
});
