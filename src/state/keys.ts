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
    milestone: (milestoneId: string) => `${prefix}:milestone:${milestoneId}`,
    ledger: (milestoneId: string) => `${prefix}:ledger:${milestoneId}`,
    guildSettings: (guildId: string) => `${prefix}:guild:${guildId}`,
    guilds: () => `${prefix}:guilds`,
  };
}

export type StateKeys = ReturnType<typeof stateKeys>;
