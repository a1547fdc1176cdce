-- Marks the channel unhealthy only while it is still the configured one: a moderator who has meanwhile pointed
-- the bot at a new channel is not undone by a late failure from the old one.
-- KEYS[1] guild settings hash; ARGV[1] channel id, ARGV[2] problem, ARGV[3] detail, ARGV[4] since (ISO time).
-- Returns 1 if marked, else 0.

if redis.call('HGET', KEYS[1], 'channelId') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'healthProblem', ARGV[2], 'healthDetail', ARGV[3], 'healthSince', ARGV[4])
return 1
