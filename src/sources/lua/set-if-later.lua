-- Keeps the larger of the stored and the given value of one hash field (a source's newest reading per artist).
-- KEYS[1] hash; ARGV[1] field; ARGV[2] value (a number). Returns 1 when it moved, else 0.

local current = redis.call('HGET', KEYS[1], ARGV[1])
if (not current) or tonumber(ARGV[2]) > tonumber(current) then
  redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
  return 1
end
return 0
