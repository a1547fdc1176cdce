import type { Texts } from '../../src/platforms/discord/interactions/reply-language.js';

/** How `/layover` names a subject in its lines ("Layover (album)", "레이오버 (앨범 합계)"). */
export interface SubjectLabelTexts {
  readonly album: (album: string) => string;
  readonly allTracks: (album: string) => string;
  readonly artist: (artist: string) => string;
  readonly followers: (artist: string) => string;
  readonly views: (video: string) => string;
}

export const subjectLabelTexts: Texts<SubjectLabelTexts> = {
  en: {
    album: (album) => `${album} (album)`,
    allTracks: (album) => `every song of ${album}`,
    artist: (artist) => `${artist} (artist total)`,
    followers: (artist) => `${artist} followers`,
    views: (video) => `${video} (YouTube views)`,
  },
  ko: {
    album: (album) => `${album} (앨범 합계)`,
    allTracks: (album) => `${album} 전곡`,
    artist: (artist) => `${artist} (아티스트 합계)`,
    followers: (artist) => `${artist} 팔로워`,
    views: (video) => `${video} (유튜브 조회수)`,
  },
};

/** Where a server's announcements stopped reaching its channel (from the channel's recorded health). */
export interface ChannelTrouble {
  readonly channelId: string;
  readonly problem: 'gone' | 'missing-permission';
  /** Discord's error as it came (e.g. "Missing Permissions (50013)"). */
  readonly detail: string;
  /** `2023-10-11 14:00`, UTC. */
  readonly since: string;
}

/** The texts of `/layover status`, `milestones`, `next` and `why`. */
export interface LayoverTexts {
  readonly noAlbum: (query: string) => string;
  readonly noSong: (album: string, query: string) => string;
  readonly noDataFor: (artist: string) => string;
  readonly nothingAnnounced: string;
  readonly noUpcoming: string;
  readonly more: (n: number) => string;
  readonly channelWarning: (t: ChannelTrouble) => string;
  /** One line of `/layover milestones`. */
  readonly milestoneLine: (m: {
    readonly date: string;
    readonly label: string;
    readonly threshold: string;
    readonly day: number | null;
    readonly notPosted: string | null;
  }) => string;
  /** What `why` says when a subject has no next milestone. */
  readonly noNext: string;
  readonly notSeen: (label: string) => string;
  readonly noLadder: (kind: string) => string;
  readonly baseline: (label: string, value: string, next: string) => string;
  readonly announced: (label: string, reached: string) => string;
  readonly below: (label: string, value: string, reached: string, next: string) => string;
  readonly recordedNotPosted: (label: string, threshold: string, date: string, note: string) => string;
  readonly stale: (at: string) => string;
  readonly noSetup: string;
  readonly paused: string;
  readonly kindOff: (kind: string) => string;
}

export const layoverTexts: Texts<LayoverTexts> = {
  en: {
    noAlbum: (query) => `I don't track an album called "${query}".`,
    noSong: (album, query) => `${album} has no song called "${query}".`,
    noDataFor: (artist) => `No streaming data for ${artist} yet.`,
    nothingAnnounced: 'Nothing announced yet.',
    noUpcoming: 'No data yet.',
    more: (n) => `+${n} more`,
    channelWarning: (t) => {
      const what =
        t.problem === 'gone'
          ? `<#${t.channelId}> no longer exists`
          : `the bot lost a permission in <#${t.channelId}> (${t.detail})`;
      return `⚠️ Announcements are stopped: ${what} since ${t.since} UTC. Fix it, then run \`/layover-mod setup\` again.`;
    },
    milestoneLine: (m) =>
      `• ${m.date}: ${m.label} passed ${m.threshold}${m.day === null ? '' : ` (day ${m.day})`}${m.notPosted === null ? '' : ` — not posted: ${m.notPosted}`}`,
    noNext: 'none',
    notSeen: (label) => `I have not seen a count for ${label} yet.`,
    noLadder: (kind) => `No milestones are configured for ${kind}.`,
    baseline: (label, value, next) =>
      `Baseline: ${label} was first seen at ${value}; milestones up to that were counted as reached without an announcement. Next: ${next}.`,
    announced: (label, reached) => `Announced: ${label} passed ${reached} in the latest snapshot.`,
    below: (label, value, reached, next) =>
      `Below the next milestone: ${label} is at ${value}; ${reached} was already reached, next is ${next}.`,
    recordedNotPosted: (label, threshold, date, note) =>
      `${label} passing ${threshold} (${date}) was recorded but not posted: ${note}.`,
    stale: (at) =>
      `Stale data: the newest snapshot is from ${at}. Nothing newer has arrived, and a snapshot older than that is ignored.`,
    noSetup: 'This server has not run `/layover-mod setup` yet.',
    paused: 'This server has paused announcements (`/layover-mod resume`).',
    kindOff: (kind) => `This server has ${kind} milestones turned off (\`/layover-mod kinds\`).`,
  },
  ko: {
    noAlbum: (query) => `"${query}" 앨범은 추적하지 않습니다.`,
    noSong: (album, query) => `${album}에는 "${query}" 곡이 없습니다.`,
    noDataFor: (artist) => `${artist}의 스트리밍 데이터가 아직 없습니다.`,
    nothingAnnounced: '아직 알림이 없습니다.',
    noUpcoming: '아직 데이터가 없습니다.',
    more: (n) => `외 ${n}개`,
    channelWarning: (t) => {
      const what =
        t.problem === 'gone'
          ? `<#${t.channelId}> 채널이 더 이상 없습니다`
          : `봇이 <#${t.channelId}>에서 권한을 잃었습니다 (${t.detail})`;
      return `⚠️ 알림이 멈춰 있습니다: ${t.since} UTC부터 ${what}. 문제를 해결한 뒤 \`/layover-mod setup\`을 다시 실행해 주세요.`;
    },
    milestoneLine: (m) =>
      `• ${m.date}: ${m.label} ${m.threshold} 돌파${m.day === null ? '' : ` (${m.day}일째)`}${m.notPosted === null ? '' : ` — 게시 안 됨: ${m.notPosted}`}`,
    noNext: '없음',
    notSeen: (label) => `${label}의 집계를 아직 받지 못했습니다.`,
    noLadder: (kind) => `${kind} 마일스톤이 설정되어 있지 않습니다.`,
    baseline: (label, value, next) =>
      `기준점: ${label} 첫 집계 ${value}. 그때까지의 마일스톤은 알림 없이 달성한 것으로 처리했습니다. 다음: ${next}.`,
    announced: (label, reached) => `알림 완료: 최신 스냅샷에서 ${label} ${reached} 돌파를 알렸습니다.`,
    below: (label, value, reached, next) =>
      `다음 마일스톤 전: ${label} 현재 ${value}. 이미 달성: ${reached} · 다음: ${next}.`,
    recordedNotPosted: (label, threshold, date, note) =>
      `${date} ${label} ${threshold} 돌파는 기록되었지만 게시되지 않았습니다: ${note}.`,
    stale: (at) =>
      `오래된 데이터: 최신 스냅샷이 ${at} 기준입니다. 그 뒤로 새 데이터가 오지 않았고, 이보다 오래된 스냅샷은 무시합니다.`,
    noSetup: '이 서버는 아직 `/layover-mod setup`을 실행하지 않았습니다.',
    paused: '이 서버는 알림을 일시 중지했습니다 (`/layover-mod resume`).',
    kindOff: (kind) => `이 서버는 ${kind} 마일스톤을 꺼 두었습니다 (\`/layover-mod kinds\`).`,
  },
};
