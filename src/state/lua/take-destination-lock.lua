-- Takes a destination's posting lock: when nobody holds it, when this token already does, or when the job named
-- in the token held it before (a run of that job that died; BullMQ never runs one job twice at once).
-- KEYS[1] lock; ARGV[1] token "<jobId>|<uuid>"; ARGV[2] time to live, ms; ARGV[3] "<jobId>|".
-- Returns 1 if this token now holds the lock, else 0.

local held = redis.call('GET', KEYS[1])
if held == false or held == ARGV[1] or string.sub(held, 1, string.len(ARGV[3])) == ARGV[3] then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
return 0
