-- Replaces the parts of a group's plan from part ARGV[4] on (none of them posted yet), if the plan is still the
-- revision the caller read; the media stored for those parts is forgotten (their card may change). Returns 1 when
-- revised, 0 when someone revised it first.
-- KEYS[1] the group hash, KEYS[2] outbox zset, KEYS[3] need hash.
-- ARGV[1] group id, ARGV[2] revision read, ARGV[3] new plan JSON, ARGV[4] first part replaced,
-- ARGV[5] old plan length, ARGV[6] posts the group still needs.
if tonumber(redis.call('HGET', KEYS[1], 'revision') or '0') ~= tonumber(ARGV[2]) then return 0 end
redis.call('HSET', KEYS[1], 'plan', ARGV[3])
redis.call('HINCRBY', KEYS[1], 'revision', 1)
for i = tonumber(ARGV[4]), tonumber(ARGV[5]) - 1 do redis.call('HDEL', KEYS[1], 'media:' .. i) end
if redis.call('ZSCORE', KEYS[2], ARGV[1]) then redis.call('HSET', KEYS[3], ARGV[1], ARGV[6]) end
return 1
