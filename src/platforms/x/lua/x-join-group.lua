-- Puts a milestone into an X outbox group; returns the group id. Idempotent: a milestone keeps its first group.
-- KEYS[1] member-of hash, KEYS[2] the open group of the combine key, KEYS[3] outbox zset, KEYS[4] need hash.
-- ARGV[1] milestone id, ARGV[2] now (ms), ARGV[3] combine window (ms), ARGV[4] priority, ARGV[5] milestone JSON,
-- ARGV[6] group key prefix, ARGV[7] '1' when the milestone may join an open group.
local existing = redis.call('HGET', KEYS[1], ARGV[1])
if existing then return existing end
local now = tonumber(ARGV[2])
local window = tonumber(ARGV[3])
local gid = nil
if ARGV[7] == '1' then
  local open = redis.call('GET', KEYS[2])
  if open then
    local gk = ARGV[6] .. open
    if redis.call('HGET', gk, 'state') == 'open' and now < tonumber(redis.call('HGET', gk, 'closesAt') or '0') then
      gid = open
    end
  end
end
if not gid then
  gid = ARGV[1]
  redis.call('HSET', ARGV[6] .. gid, 'state', 'open', 'createdAt', now, 'closesAt', now + window, 'priority', ARGV[4])
  -- Whether the group still gathers is its closesAt's call (on the publishers' clock); the pointer outlives the
  -- window by an hour, only so that it is cleaned up.
  if ARGV[7] == '1' and window > 0 then redis.call('SET', KEYS[2], gid, 'PX', window + 3600000) end
end
local gk = ARGV[6] .. gid
redis.call('HSET', gk, 'm:' .. ARGV[1], ARGV[5])
redis.call('HSET', KEYS[1], ARGV[1], gid)
local p = tonumber(redis.call('HGET', gk, 'priority'))
if tonumber(ARGV[4]) > p then
  p = tonumber(ARGV[4])
  redis.call('HSET', gk, 'priority', ARGV[4])
end
redis.call('ZADD', KEYS[3], p, gid)
redis.call('HINCRBY', KEYS[4], gid, 1)
return gid
