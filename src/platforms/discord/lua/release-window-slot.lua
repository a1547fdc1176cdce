-- A request has finished: its slot counts for one window from now (Discord saw the request somewhere between
-- taking the slot and now, so no window at Discord holds more of our requests than the limit).
-- KEYS[1] the window; ARGV[1] window ms; ARGV[2] the slot's id. Returns 1 if the slot was still there.

local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local window = tonumber(ARGV[1])
local updated = redis.call('ZADD', KEYS[1], 'XX', 'CH', now + window, ARGV[2])
if redis.call('PTTL', KEYS[1]) < window then redis.call('PEXPIRE', KEYS[1], window) end
return updated
