import { afterEach, describe, expect, it } from 'vitest';
import { DiscordEmulator } from '../../emulators/discord-emulator.js';

const emulators: DiscordEmulator[] = [];
afterEach(async () => {
  for (const e of emulators.splice(0)) await e.close();
});

async function start(): Promise<DiscordEmulator> {
  const e = await DiscordEmulator.start();
  emulators.push(e);
  return e;
}

function postMessage(e: DiscordEmulator, channelId: string, body: object) {
  return fetch(`${e.api}/v10/channels/${channelId}/messages`, {
    method: 'POST',
    headers: { authorization: `Bot ${e.token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

describe('the Discord REST emulator', () => {
  it('answers a burst past 50 requests a second with global 429s in Discord’s shape', async () => {
    const e = await start();
    const channels = Array.from({ length: 60 }, () => e.addChannel());
    const responses = await Promise.all(channels.map((c) => postMessage(e, c.id, { content: 'hi' })));
    const limited = responses.filter((r) => r.status === 429);
    expect(limited).toHaveLength(10);
    expect(limited[0]!.headers.get('x-ratelimit-global')).toBe('true');
    expect(limited[0]!.headers.get('x-ratelimit-scope')).toBe('global');
    const body = (await limited[0]!.json()) as { retry_after: number; global: boolean };
    expect(body.global).toBe(true);
    expect(body.retry_after).toBeGreaterThan(0);
    expect(e.rateLimitCount('global')).toBe(10);
  });

  it('keeps a per-channel message bucket with X-RateLimit headers and a user-scoped 429 past it', async () => {
    const e = await start();
    const channel = e.addChannel();
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 6; i += 1) {
      last = await postMessage(e, channel.id, { content: `m${i}` });
      statuses.push(last.status);
      if (i === 0) {
        expect(last.headers.get('x-ratelimit-limit')).toBe('5');
        expect(last.headers.get('x-ratelimit-remaining')).toBe('4');
        expect(Number(last.headers.get('x-ratelimit-reset-after'))).toBeGreaterThan(4);
        expect(last.headers.get('x-ratelimit-bucket')).toMatch(/^[0-9a-f]{16}$/);
      }
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    expect(last!.headers.get('x-ratelimit-scope')).toBe('user');
    expect(((await last!.json()) as { global: boolean }).global).toBe(false);
    // Another channel has its own bucket.
    expect((await postMessage(e, e.addChannel().id, { content: 'x' })).status).toBe(200);
  });

  it('returns the existing message for a repeated nonce with enforce_nonce, and creates one without it', async () => {
    const e = await start();
    const channel = e.addChannel();
    const first = (await (
      await postMessage(e, channel.id, { content: 'a', nonce: 'n1', enforce_nonce: true })
    ).json()) as { id: string };
    const again = (await (
      await postMessage(e, channel.id, { content: 'a', nonce: 'n1', enforce_nonce: true })
    ).json()) as { id: string };
    expect(again.id).toBe(first.id);
    await postMessage(e, channel.id, { content: 'a', nonce: 'n1' });
    expect(e.messagesIn(channel.id)).toHaveLength(2);
    expect((await postMessage(e, channel.id, { content: 'a', nonce: 'x'.repeat(26) })).status).toBe(400);
  });

  it('refuses with 403 50013 without Send Messages and 404 10003 for a deleted channel', async () => {
    const e = await start();
    const forbidden = e.addChannel();
    e.revoke(forbidden.id, 'SendMessages');
    const gone = e.addChannel();
    e.deleteChannel(gone.id);
    const a = await postMessage(e, forbidden.id, { content: 'a' });
    const b = await postMessage(e, gone.id, { content: 'a' });
    expect([a.status, ((await a.json()) as { code: number }).code]).toEqual([403, 50013]);
    expect([b.status, ((await b.json()) as { code: number }).code]).toEqual([404, 10003]);
  });

  it('allows 10 crossposts per Announcement channel per window, then a user-scoped 429 in Discord’s shape', async () => {
    const e = await DiscordEmulator.start({ crosspostWindowMs: 60_000, messagesPerChannel: 20 });
    emulators.push(e);
    const channel = e.addChannel({ type: 5 });
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 11; i += 1) {
      last = await crosspost(e, channel.id, await messageId(e, channel.id));
      statuses.push(last.status);
    }
    expect(statuses).toEqual([...Array.from({ length: 10 }, () => 200), 429]);
    expect(last!.headers.get('x-ratelimit-scope')).toBe('user');
    expect(last!.headers.get('x-ratelimit-limit')).toBe('10');
    expect(last!.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(50);
    const body = (await last!.json()) as { message: string; retry_after: number; global: boolean };
    expect(body).toMatchObject({ message: 'You are being rate limited.', global: false });
    expect(body.retry_after).toBeGreaterThan(50);
    expect(e.crossposts(channel.id)).toHaveLength(10);
    // Another channel has its own ten.
    const other = e.addChannel({ type: 5 });
    expect((await crosspost(e, other.id, await messageId(e, other.id))).status).toBe(200);
  });

  it('refuses a crosspost twice (40033), without Send Messages (50013), of a deleted message (10008) or in a text channel (50024)', async () => {
    const e = await start();
    const news = e.addChannel({ type: 5 });
    const id = await messageId(e, news.id);
    expect((await crosspost(e, news.id, id)).status).toBe(200);
    const codeOf = async (response: Response) => [
      response.status,
      ((await response.json()) as { code: number }).code,
    ];
    expect(await codeOf(await crosspost(e, news.id, id))).toEqual([400, 40033]);
    const gone = await messageId(e, news.id);
    e.deleteMessage(gone);
    expect(await codeOf(await crosspost(e, news.id, gone))).toEqual([404, 10008]);
    const text = e.addChannel({ type: 0 });
    expect(await codeOf(await crosspost(e, text.id, await messageId(e, text.id)))).toEqual([400, 50024]);
    const forbidden = e.addChannel({ type: 5 });
    const own = await messageId(e, forbidden.id);
    e.revoke(forbidden.id, 'SendMessages');
    expect(await codeOf(await crosspost(e, forbidden.id, own))).toEqual([403, 50013]);
  });
});

/** Posts a message and returns its id. */
async function messageId(e: DiscordEmulator, channelId: string): Promise<string> {
  return ((await (await postMessage(e, channelId, { content: 'news' })).json()) as { id: string }).id;
}

function crosspost(e: DiscordEmulator, channelId: string, id: string) {
  return fetch(`${e.api}/v10/channels/${channelId}/messages/${id}/crosspost`, {
    method: 'POST',
    headers: { authorization: `Bot ${e.token}` },
  });
}
