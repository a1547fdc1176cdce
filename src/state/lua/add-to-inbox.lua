-- Puts snapshots into one artist's inbox, all at once, before their jobs exist: so a batch is waiting in full,
-- in capturedAt order, when its first job drains the inbox.
--
-- KEYS[1]      the artist's inbox (sorted set: entry id scored by capturedAt ms)
-- KEYS[2]      the inbox entries (hash: entry id -> snapshot JSON with its owning job)
-- KEYS[2 + i]  entry i's applied-result key
-- ARGV         per entry: id, capturedAt ms, payload
-- An entry already applied (its result is still kept) or already waiting is left as it is. Returns how many
-- entries were added.

local added = 0
for i = 1, #KEYS - 2 do
  local a = (i - 1) * 3
  if redis.call('EXISTS', KEYS[2 + i]) == 0 then
    added = added + redis.call('ZADD', KEYS[1], 'NX', ARGV[a + 2], ARGV[a + 1])
    redis.call('HSETNX', KEYS[2], ARGV[a + 1], ARGV[a + 3])
  end
end
return added
