-- Lets go of a polled host: if this poller still holds it, it stays taken for a gap (so the next request to the
-- host waits that long), or is freed at once for a gap of 0.
-- KEYS[1] host lock; ARGV[1] token; ARGV[2] gap, ms. Returns 1 if it was ours, else 0.

if redis.call('GET', KEYS[1]) == ARGV[1] then
  if tonumber(ARGV[2]) > 0 then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
  return redis.call('DEL', KEYS[1])
end
return 0
