-- Extends a group lock held with token ARGV[1] by ARGV[2] ms. KEYS[1] the lock. Returns 1, or 0 when not ours.
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
