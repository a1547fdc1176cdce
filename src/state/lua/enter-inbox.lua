-- A snapshot job's first step: make sure its snapshot is in the artist's inbox (unless it was applied already),
-- then try to become the artist's one drainer.
--
-- KEYS[1] inbox (sorted set by capturedAt ms)   KEYS[2] inbox entries (hash)   KEYS[3] drain lock
-- KEYS[4] the entry's applied-result key
-- ARGV[1] entry id   ARGV[2] capturedAt ms   ARGV[3] payload   ARGV[4] lock token   ARGV[5] lock time-to-live, ms
-- ARGV[6] the job's own token prefix ('<job id>|'): a lock held under it was taken by an earlier run of this very
--         job, which died while draining (its job is running again): the lock is taken over at once, so the
--         entries it left are never stranded behind a dead drainer's lock.
-- Returns {result, 'empty'} | {result, 'busy'} | {result, 'locked', head id, head payload}, where result is the
-- entry's applied result ('' while it has none) and head is the oldest waiting entry ('' payload if it is lost).

local result = redis.call('GET', KEYS[4]) or ''
if result == '' then
  redis.call('ZADD', KEYS[1], 'NX', ARGV[2], ARGV[1])
  redis.call('HSETNX', KEYS[2], ARGV[1], ARGV[3])
end
local head = redis.call('ZRANGE', KEYS[1], 0, 0)
if #head == 0 then
  return {result, 'empty'}
end
if not redis.call('SET', KEYS[3], ARGV[4], 'NX', 'PX', ARGV[5]) then
  local holder = redis.call('GET', KEYS[3]) or ''
  if ARGV[6] == '' or string.sub(holder, 1, #ARGV[6]) ~= ARGV[6] then
    return {result, 'busy'}
  end
  redis.call('SET', KEYS[3], ARGV[4], 'PX', ARGV[5])
end
return {result, 'locked', head[1], redis.call('HGET', KEYS[2], head[1]) or ''}
