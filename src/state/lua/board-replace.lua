-- Puts a server's live status board in place of whatever board it had, in one step, and hands back the old one
-- (its message is the caller's to delete). The new board counts as just edited: its first edit comes no sooner
-- than one interval after it was posted.
--
-- KEYS[1] board hash   KEYS[2] the artist's set of boards
-- ARGV[1] guild id   ARGV[2..] field, value, field, value, … of the new board
-- Returns the old board's fields as HGETALL gives them (empty when there was none).

local old = redis.call('HGETALL', KEYS[1])
redis.call('DEL', KEYS[1])
local fields = {}
for i = 2, #ARGV do
  fields[#fields + 1] = ARGV[i]
end
redis.call('HSET', KEYS[1], unpack(fields))
redis.call('SADD', KEYS[2], ARGV[1])
return old
