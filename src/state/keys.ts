/**
 * Every Redis key this project writes, under one prefix. With a `{…}` hash-tag prefix all keys share a slot,
 * which keeps the multi-key Lua scripts valid on Redis Cluster.
 */
export function stateKeys(prefix: string) {
  return {
    artistState: (artistId: string) => `${prefix}:artist:${artistId}:state`,
    appliedSnapshot: (artistId: string, snapshotKey: string) =>
      `${prefix}:artist:${artistId}:applied:${snapshotKey}`,
    artistMilestones: (artistId: string) => `${prefix}:artist:${artistId}:milestones`,
    artistHistory: (artistId: string) => `${prefix}:artist:${artistId}:history`,
    /** Sorted set: the artist's snapshots waiting to be applied, scored by capturedAt (ms), oldest first. */
    artistInbox: (artistId: string) => `${prefix}:artist:${artistId}:inbox`,
    /** Hash: inbox entry id -> the waiting snapshot (JSON), with the job that owns it. */
    artistInboxEntries: (artistId: string) => `${prefix}:artist:${artistId}:inbox-entries`,
    /** String: the token of the one worker draining the artist's inbox right now (expires if it dies). */
    artistDrainLock: (artistId: string) => `${prefix}:artist:${artistId}:drain-lock`,
    milestone: (milestoneId: string) => `${prefix}:milestone:${milestoneId}`,
    ledger: (milestoneId: string) => `${prefix}:ledger:${milestoneId}`,
    /** Hash: destination -> how many times a post of the milestone there was started (see PostLedgerStore). */
    ledgerTries: (milestoneId: string) => `${prefix}:ledger-tries:${milestoneId}`,
    /** ZSET: one subject's milestones (`<artistId>/<subjectKey>`), scored by threshold (supersession). */
    subjectMilestones: (subjectId: string) => `${prefix}:subject:${subjectId}:milestones`,
    /** ZSET: milestones still pending for one destination, oldest first (see publish-order.store.ts). */
    destinationPending: (destination: string) => `${prefix}:destination:${destination}:pending`,
    /** String: the token of the one worker posting to a destination right now (expires if it dies). */
    destinationLock: (destination: string) => `${prefix}:destination:${destination}:lock`,
    /** String with a time to live: a post to the destination failed lately; drainers leave it alone meanwhile. */
    destinationHold: (destination: string) => `${prefix}:destination:${destination}:hold`,
    guildSettings: (guildId: string) => `${prefix}:guild:${guildId}`,
    guilds: () => `${prefix}:guilds`,
    /** Hash: one server's live status board (`/layover-mod board`): channel, message, album and edit times. */
    board: (guildId: string) => `${prefix}:board:${guildId}`,
    /** Set: ids of the servers with a board of one of this artist's albums (stale members are dropped lazily). */
    artistBoards: (artistId: string) => `${prefix}:artist:${artistId}:boards`,
    /** Discord's global request window, shared by every process that uses the bot token. */
    discordGlobalWindow: () => `${prefix}:discord:global-window`,
    /** ZSET: one Announcement channel's crosspost slots of the rolling hour, scored by when each stops counting. */
    discordCrosspostWindow: (channelId: string) => `${prefix}:discord:crosspost-window:${channelId}`,
    /**
     * String (expires): a permanent crosspost failure was reported for this scope (`channel:<id>` while the bot
     * may not crosspost there, `message:<id>` for one message), so it is reported once.
     */
    discordCrosspostReported: (scope: string) => `${prefix}:discord:crosspost-reported:${scope}`,
    /** String (expires with the interaction token): the process that took this gateway interaction. */
    discordInteractionClaim: (interactionId: string) => `${prefix}:discord:interaction:${interactionId}`,
    /** Hash: a poll source's consecutive failures, ticks left to skip, and the newest reading per artist. */
    pollSource: (sourceId: string) => `${prefix}:poller:${sourceId}`,
    /** String: which poll holds a host right now (one request at a time per host, across processes). */
    pollHost: (host: string) => `${prefix}:poller-host:${host}`,
    /** Hash: one X draft put to the moderators (`X_APPROVAL=discord`): its text, message and decision. */
    discordApproval: (draftId: string) => `${prefix}:discord:approval:${draftId}`,
  };
}

export type StateKeys = ReturnType<typeof stateKeys>;
