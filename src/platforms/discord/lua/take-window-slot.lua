-- Takes one slot of a rolling-window limit shared by every process (Discord's global request limit, an
-- Announcement channel's crossposts), on the Redis clock. A slot counts from the moment it is taken until one
-- window after its request finished.
-- KEYS[1] the window (ZSET: slot -> ms when it stops counting)
-- ARGV[1] slots per window; ARGV[2] how long a slot is held while its request is in flight (the request
-- timeout plus one window: an upper bound until it is released); ARGV[3] the new slot's id; ARGV[4] window ms.
-- Returns 0 when the slot was taken; otherwise ms until the earliest slot stops counting, or -1 when that slot
-- is still held by a request in flight (its end is not known yet).

local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local hold = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('ZADD', KEYS[1], now + hold, ARGV[3])
  if redis.call('PTTL', KEYS[1]) < hold then redis.call('PEXPIRE', KEYS[1], hold) end
  return 0
end
local earliest = tonumber(redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')[2]) - now
if earliest > tonumber(ARGV[4]) then return -1 end
return math.max(1, earliest + 1)
