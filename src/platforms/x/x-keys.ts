/** Redis keys of one X account's outbox, budget and pause state, under the project prefix. */
export function xKeys(prefix: string, account: string) {
  const base = `${prefix}:x:${account}`;
  return {
    /** ZSET: one member per request sent to `POST /2/tweets`, scored by when (ms): the rolling budget. */
    slots: `${base}:slots`,
    /**
     * ZSET: one member `<id>|<micro-dollars>` per billed request (a post, a card's metadata, a look-up), scored
     * by when (ms): the rolling spend.
     */
    spend: `${base}:spend`,
    /** HASH: `blockedUntil` (429), `hdrRemaining` / `hdrReset` (the 24-hour limit headers). */
    limits: `${base}:limits`,
    /** ZSET: groups waiting to be posted, scored by priority. */
    outbox: `${base}:outbox`,
    /**
     * HASH: group id -> posts it still needs that hold no slot yet (its member count until its plan is made: at
     * most one post each); taking a slot lowers it, a failed request raises it again.
     */
    need: `${base}:need`,
    /** HASH: milestone id -> group id. */
    memberOf: `${base}:member-of`,
    /** STRING (expires an hour after the window): the group gathering milestones of one album, while it does. */
    open: (combineKey: string) => `${base}:open:${combineKey}`,
    /**
     * HASH: a group: state, createdAt, closesAt, priority, `m:<milestoneId>` milestones, plan, revision,
     * `posted:<i>`, `sending:<i>`, `media:<i>`, reason.
     */
    group: (groupId: string) => `${base}:group:${groupId}`,
    groupPrefix: `${base}:group:`,
    lock: (groupId: string) => `${base}:lock:${groupId}`,
    /** HASH: `reason`, `at` while X publishing is paused. */
    pause: `${base}:pause`,
  };
}
export type XKeys = ReturnType<typeof xKeys>;
