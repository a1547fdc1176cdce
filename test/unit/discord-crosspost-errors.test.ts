import { DiscordAPIError, HTTPError, RateLimitError } from '@discordjs/rest';
import { describe, expect, it } from 'vitest';
import { classifyCrosspostError } from '../../src/platforms/discord/crosspost.js';

const url = 'https://discord.com/api/v10/channels/1/messages/2/crosspost';

function apiError(status: number, code: number, message: string): DiscordAPIError {
  return new DiscordAPIError({ code, message }, code, status, 'POST', url, {
    body: undefined,
    files: undefined,
  });
}

describe('what a failed crosspost request means', () => {
  it('waits for a rate limit as long as Discord asks', () => {
    const limited = new RateLimitError({
      timeToReset: 3_000_000,
      limit: 10,
      method: 'POST',
      hash: 'h',
      url,
      route: '/channels/:id/messages/:id/crosspost',
      majorParameter: '1',
      global: false,
      retryAfter: 3_000_000,
      sublimitTimeout: 0,
      scope: 'user',
    });
    expect(classifyCrosspostError(limited, 1000)).toMatchObject({ kind: 'wait', retryAt: 3_001_000 });
  });

  it('counts "already crossposted" as done', () => {
    expect(
      classifyCrosspostError(apiError(400, 40033, 'This message has already been crossposted.'), 0),
    ).toEqual({
      kind: 'done',
      already: true,
    });
  });

  it('gives up on a refused permission for the channel, and on a message or channel that is gone', () => {
    expect(classifyCrosspostError(apiError(403, 50013, 'Missing Permissions'), 0)).toEqual({
      kind: 'permanent',
      scope: 'channel',
      reason: 'missing permission: Missing Permissions (50013)',
    });
    expect(classifyCrosspostError(apiError(403, 50001, 'Missing Access'), 0)).toMatchObject({
      scope: 'channel',
    });
    expect(classifyCrosspostError(apiError(404, 10003, 'Unknown Channel'), 0)).toMatchObject({
      kind: 'permanent',
      scope: 'channel',
    });
    expect(classifyCrosspostError(apiError(404, 10008, 'Unknown Message'), 0)).toEqual({
      kind: 'permanent',
      scope: 'message',
      reason: 'message gone: Unknown Message (10008)',
    });
    expect(
      classifyCrosspostError(apiError(400, 50024, 'Cannot execute action on this channel type'), 0),
    ).toMatchObject({ kind: 'permanent', scope: 'message' });
  });

  it('retries a 5xx, a 401, a timeout or a network error', () => {
    const bodyData = { body: undefined, files: undefined };
    expect(classifyCrosspostError(new HTTPError(502, 'Bad Gateway', 'POST', url, bodyData), 0)).toMatchObject(
      {
        kind: 'retry',
      },
    );
    expect(classifyCrosspostError(apiError(401, 0, '401: Unauthorized'), 0)).toMatchObject({ kind: 'retry' });
    expect(
      classifyCrosspostError(new DOMException('This operation was aborted', 'AbortError'), 0),
    ).toMatchObject({
      kind: 'retry',
    });
    expect(classifyCrosspostError(new Error('connect ECONNREFUSED'), 0)).toEqual({
      kind: 'retry',
      reason: 'connect ECONNREFUSED',
    });
  });
});
