-- Marks an open group closed once its window has passed (no one joins after); returns its state.
-- KEYS[1] the group hash. ARGV[1] now (ms).
if redis.call('HGET', KEYS[1], 'state') == 'open' and tonumber(ARGV[1]) >= tonumber(redis.call('HGET', KEYS[1], 'closesAt')) then
  redis.call('HSET', KEYS[1], 'state', 'closed')
end
return redis.call('HGET', KEYS[1], 'state')
