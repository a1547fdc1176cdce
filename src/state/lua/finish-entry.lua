-- Removes a drained entry from the artist's inbox (after its milestones were recorded), then hands back the next
-- waiting entry, or releases the drain lock when none is left. Releasing only when the inbox is empty, in the same
-- atomic step, means an entry added meanwhile is never stranded: its job either sees the lock held (and this
-- drainer sees the entry) or takes the lock itself.
--
-- KEYS[1] inbox   KEYS[2] inbox entries   KEYS[3] drain lock
-- ARGV[1] lock token   ARGV[2] entry id ('' to remove nothing)   ARGV[3] lock time-to-live, ms
-- Returns {'lost'} | {'released'} | {'next', id, payload}.

if redis.call('GET', KEYS[3]) ~= ARGV[1] then
  return {'lost'}
end
if ARGV[2] ~= '' then
  redis.call('ZREM', KEYS[1], ARGV[2])
  redis.call('HDEL', KEYS[2], ARGV[2])
end
local head = redis.call('ZRANGE', KEYS[1], 0, 0)
if #head == 0 then
  redis.call('DEL', KEYS[3])
  return {'released'}
end
redis.call('PEXPIRE', KEYS[3], ARGV[3])
return {'next', head[1], redis.call('HGET', KEYS[2], head[1]) or ''}
