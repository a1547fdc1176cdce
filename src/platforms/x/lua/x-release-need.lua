-- A request that took a slot did not post: its group, if still waiting, needs that post again.
-- KEYS[1] outbox zset, KEYS[2] need hash. ARGV[1] group id. Returns the group's need (0 when it left the outbox).
if redis.call('ZSCORE', KEYS[1], ARGV[1]) then return redis.call('HINCRBY', KEYS[2], ARGV[1], 1) end
return 0
