-- Writes milestones with their first ledger entries, atomically. Per milestone, KEYS are the milestone, its ledger,
-- its artist's milestone index, its subject's threshold index, then the pending set of each destination. ARGV holds
-- the first entry and whether to queue it (1: pending, 0: final, e.g. a backfill's skipped), then per milestone its
-- JSON, id, capturedAt (ms), threshold, order member, the number of destinations and the destinations. Every write
-- is NX, and a milestone joins a destination's pending set only when its entry there is new: nothing is overwritten.
-- Called with the key count first (it varies with the milestones).

local entry = ARGV[1]
local queue = ARGV[2] == '1'
local a = 3
local k = 1
while k <= #KEYS do
  local n = tonumber(ARGV[a + 5])
  redis.call('SET', KEYS[k], ARGV[a], 'NX')
  redis.call('ZADD', KEYS[k + 2], 'NX', ARGV[a + 2], ARGV[a + 1])
  redis.call('ZADD', KEYS[k + 3], 'NX', ARGV[a + 3], ARGV[a + 1])
  for d = 1, n do
    local created = redis.call('HSETNX', KEYS[k + 1], ARGV[a + 5 + d], entry)
    if created == 1 and queue then
      redis.call('ZADD', KEYS[k + 3 + d], 'NX', ARGV[a + 2], ARGV[a + 4])
    end
  end
  k = k + 4 + n
  a = a + 6 + n
end
return 1
