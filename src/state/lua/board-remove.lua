-- Removes a server's board, if it is still the one the caller means, and hands back its fields. The artist's set
-- keeps the server id until the next schedule finds no board (see board-schedule.lua).
--
-- KEYS[1] board hash
-- ARGV[1] the board's message id, or '' for whichever board the server has
-- Returns the removed board's fields as HGETALL gives them (empty when nothing was removed).

local messageId = redis.call('HGET', KEYS[1], 'messageId')
if not messageId then
  return {}
end
if ARGV[1] ~= '' and messageId ~= ARGV[1] then
  return {}
end
local old = redis.call('HGETALL', KEYS[1])
redis.call('DEL', KEYS[1])
return old
