-- Moves a pending entry to a final state; refuses to touch a final one. Either way the milestone leaves the
-- destination's pending set (KEYS[2], member ARGV[3]). Returns the entry as it now stands.
-- KEYS[1] ledger hash, KEYS[2] pending set; ARGV[1] destination, ARGV[2] final entry (JSON), ARGV[3] order member.

redis.call('ZREM', KEYS[2], ARGV[3])
local raw = redis.call('HGET', KEYS[1], ARGV[1])
if raw then
  local state = cjson.decode(raw)['state']
  if state ~= 'pending' then return raw end
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return ARGV[2]
