-- Releases a group lock held with token ARGV[1]. KEYS[1] the lock. Returns 1, or 0 when it was not ours.
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
