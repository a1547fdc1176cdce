import type { Logger } from '../logger.js';
import { snapshotSchema } from '../snapshots/schema.js';
import type { Tracking } from '../tracking/tracking.js';
import { decodeUtf8, type HttpAnswer, type PoliteHttpClient } from './polite-http.js';
import type { RawArchive } from './raw-archive.js';
import { jobIdSafe, SourceError, type Source, type SourceCheck, type SourceReading } from './source.js';

/** Spotify Web API client credentials and where the API lives (tests point both URLs at a loopback emulator). */
export interface SpotifyApiSettings {
  readonly clientId: string;
  readonly clientSecret: string;
  /** Default `https://accounts.spotify.com/api/token`. */
  readonly tokenUrl: string;
  /** Default `https://api.spotify.com/v1`. */
  readonly apiUrl: string;
}

/** Said whenever the artist object comes without `followers.total`. */
export const FOLLOWERS_REMOVED =
  'Spotify stopped returning followers to Development Mode apps in February 2026 (new apps from 2026-02-11, existing ones from 2026-03-09); only apps with Extended Quota Mode still get it. Use another followers source (a JSON URL) or an app with extended quota';

function jsonOf(answer: HttpAnswer, what: string): unknown {
  try {
    return JSON.parse(decodeUtf8(answer.body)) as unknown;
  } catch {
    throw new SourceError(`${what}: HTTP ${answer.status}, answer is not JSON`, true);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Spotify's error text: `{"error": {"status", "message"}}` from the API, `{"error", "error_description"}` from accounts. */
function spotifyError(body: unknown): string {
  if (!isObject(body)) return '';
  const error = body.error;
  if (isObject(error) && typeof error.message === 'string') return `: ${error.message}`;
  if (typeof error === 'string') {
    const description = typeof body.error_description === 'string' ? ` (${body.error_description})` : '';
    return `: ${error}${description}`;
  }
  return '';
}

function statusError(what: string, answer: HttpAnswer): SourceError {
  let detail = '';
  try {
    detail = spotifyError(JSON.parse(decodeUtf8(answer.body)));
  } catch {
    // Not JSON: the status says enough.
  }
  const retry = answer.status === 429 && answer.retryAfter ? ` (retry after ${answer.retryAfter} s)` : '';
  return new SourceError(`${what}: HTTP ${answer.status}${detail}${retry}`);
}

/**
 * Reads `followers.total` out of a Spotify artist object (GET /v1/artists/{id}). Throws {@link SourceError} naming
 * what is missing, never returns zero for a missing count: an absent `followers` or `total` names the February
 * 2026 change ({@link FOLLOWERS_REMOVED}).
 */
export function followersFromArtist(body: unknown, artistSpotifyId: string, what: string): number {
  if (!isObject(body)) throw new SourceError(`${what}: the answer is not a Spotify artist object`, true);
  if (body.type !== undefined && body.type !== 'artist') {
    throw new SourceError(
      `${what}: the answer is a ${JSON.stringify(body.type).slice(0, 40)}, not an artist`,
      true,
    );
  }
  if (body.id !== artistSpotifyId) {
    throw new SourceError(
      `${what}: the answer is about artist ${JSON.stringify(body.id ?? null).slice(0, 40)}, not "${artistSpotifyId}"`,
      true,
    );
  }
  const followers = body.followers;
  if (followers === undefined || followers === null) {
    throw new SourceError(`${what}: the artist object has no "followers": ${FOLLOWERS_REMOVED}`, true);
  }
  if (!isObject(followers)) throw new SourceError(`${what}: "followers" is not an object`, true);
  const total = followers.total;
  if (total === undefined || total === null) {
    throw new SourceError(`${what}: the artist object has no "followers.total": ${FOLLOWERS_REMOVED}`, true);
  }
  if (typeof total !== 'number' || !Number.isSafeInteger(total) || total < 0) {
    throw new SourceError(
      `${what}: "followers.total" is not a count (${JSON.stringify(total).slice(0, 40)})`,
      true,
    );
  }
  return total;
}

/** The reading a followers count gives: the artist's followers at the moment of the fetch (to the second). */
export function followersReading(tracking: Tracking, followers: number, fetchedAtMs: number): SourceReading {
  const at = new Date(Math.floor(fetchedAtMs / 1000) * 1000).toISOString();
  const snapshot = snapshotSchema.parse({
    capturedAt: at,
    artist: tracking.artist.id,
    source: 'spotify',
    tracks: {},
    followers,
  });
  return {
    snapshot,
    artistId: tracking.artist.id,
    dataKey: jobIdSafe(`followers-${at}`),
    capturedAtMs: Date.parse(at),
  };
}

export interface SpotifyFollowersSourceOptions {
  readonly id: string;
  readonly tracking: Tracking;
  readonly http: PoliteHttpClient;
  readonly api: SpotifyApiSettings;
  readonly archive?: RawArchive;
  readonly logger?: Logger;
  readonly now?: () => number;
}

/**
 * The artist's followers from the Spotify Web API (client credentials flow: a token from the token endpoint,
 * kept until a minute before it expires, then GET /artists/{id}). A 401 on the API drops the token and tries once
 * more with a new one.
 */
export class SpotifyFollowersSource implements Source {
  readonly kind = 'spotify';
  readonly id: string;
  readonly url: string;
  private token: { value: string; expiresAtMs: number } | undefined;

  constructor(private readonly options: SpotifyFollowersSourceOptions) {
    const artistId = options.tracking.artist.spotifyId;
    if (artistId === undefined) {
      throw new Error(
        `source "${options.id}": artist "${options.tracking.artist.id}" has no spotifyId, which the Spotify source needs`,
      );
    }
    this.id = options.id;
    this.url = `${options.api.apiUrl.replace(/\/+$/, '')}/artists/${encodeURIComponent(artistId)}`;
  }

  async fetch(): Promise<SourceReading[]> {
    return (await this.check()).readings;
  }

  async check(): Promise<SourceCheck> {
    const now = this.options.now ?? Date.now;
    let answer = await this.artist(await this.accessToken(now()));
    if (answer.status === 401) {
      this.token = undefined;
      answer = await this.artist(await this.accessToken(now()));
    }
    const fetchedAtMs = now();
    const kept = await this.options.archive?.keep({
      sourceId: this.id,
      fetchedAtMs,
      status: answer.status,
      ext: 'json',
      body: answer.body,
    });
    if (kept !== undefined && 'error' in kept)
      this.options.logger?.warn({ source: this.id, err: kept.error }, 'could not keep the raw answer');
    if (answer.status < 200 || answer.status > 299) throw statusError(this.url, answer);
    const artistId = this.options.tracking.artist.spotifyId ?? '';
    const followers = followersFromArtist(jsonOf(answer, this.url), artistId, this.url);
    const reading = followersReading(this.options.tracking, followers, fetchedAtMs);
    return {
      readings: [reading],
      report: [`artist ${artistId}: ${followers} followers`, `snapshot: ${JSON.stringify(reading.snapshot)}`],
    };
  }

  private artist(token: string): Promise<HttpAnswer> {
    return this.options.http.send(this.url, {
      accept: 'application/json',
      headers: { authorization: `Bearer ${token}` },
    });
  }

  private async accessToken(nowMs: number): Promise<string> {
    if (this.token !== undefined && nowMs < this.token.expiresAtMs) return this.token.value;
    const { clientId, clientSecret, tokenUrl } = this.options.api;
    const basic = Buffer.from(`${clientId}:${clientSecret}`).toString('base64');
    const answer = await this.options.http.send(tokenUrl, {
      method: 'POST',
      accept: 'application/json',
      headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials',
    });
    const what = `${tokenUrl} (SPOTIFY_CLIENT_ID, SPOTIFY_CLIENT_SECRET)`;
    if (answer.status < 200 || answer.status > 299) throw statusError(what, answer);
    const body = jsonOf(answer, what);
    if (!isObject(body) || typeof body.access_token !== 'string' || body.access_token === '') {
      throw new SourceError(`${what}: the token answer has no "access_token"`, true);
    }
    const expiresIn = typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : 3600;
    this.token = { value: body.access_token, expiresAtMs: nowMs + Math.max(0, expiresIn - 60) * 1000 };
    return body.access_token;
  }
}
