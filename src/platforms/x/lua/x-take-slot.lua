-- Takes one budget slot for a post of a group, or says when to ask again. Returns 0 when taken (the slot and the
-- post's cost are recorded), else the time to ask again (epoch ms).
-- KEYS[1] slots zset, KEYS[2] limits hash, KEYS[3] outbox zset, KEYS[4] need hash, KEYS[5] spend zset.
-- ARGV[1] group id, ARGV[2] now (ms), ARGV[3] window (ms), ARGV[4] posts per window, ARGV[5] slot id,
-- ARGV[6] longest wait before asking again (ms), ARGV[7] money cap (micro-dollars, 0: none),
-- ARGV[8] this post's cost (micro-dollars).
local now = tonumber(ARGV[2])
local window = tonumber(ARGV[3])
local recheck = now + tonumber(ARGV[6])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local blocked = tonumber(redis.call('HGET', KEYS[2], 'blockedUntil') or '0')
if blocked > now then return blocked end
local avail = tonumber(ARGV[4]) - redis.call('ZCARD', KEYS[1])
local retry = recheck
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if oldest[2] then retry = tonumber(oldest[2]) + window end
redis.call('ZREMRANGEBYSCORE', KEYS[5], '-inf', now - window)
local cap = tonumber(ARGV[7])
local cost = tonumber(ARGV[8])
if cap > 0 and cost > 0 then
  local spent = 0
  local entries = redis.call('ZRANGE', KEYS[5], 0, -1, 'WITHSCORES')
  for i = 1, #entries, 2 do spent = spent + tonumber(string.match(entries[i], '|(%d+)$') or '0') end
  local affordable = math.floor((cap - spent) / cost)
  if affordable < avail then
    avail = affordable
    if entries[2] then retry = tonumber(entries[2]) + window end
  end
end
local hdrReset = tonumber(redis.call('HGET', KEYS[2], 'hdrReset') or '0')
if hdrReset > now then
  local hdrRemaining = tonumber(redis.call('HGET', KEYS[2], 'hdrRemaining') or '0')
  if hdrRemaining < avail then
    avail = hdrRemaining
    retry = hdrReset
  end
end
local ahead = 0
local score = redis.call('ZSCORE', KEYS[3], ARGV[1])
if score then
  local higher = redis.call('ZRANGEBYSCORE', KEYS[3], '(' .. score, '+inf')
  for _, g in ipairs(higher) do ahead = ahead + tonumber(redis.call('HGET', KEYS[4], g) or '1') end
end
if ahead < avail then
  redis.call('ZADD', KEYS[1], now, ARGV[5])
  if cost > 0 then redis.call('ZADD', KEYS[5], now, ARGV[5] .. '|' .. ARGV[8]) end
  if tonumber(redis.call('HGET', KEYS[4], ARGV[1]) or '0') > 0 then redis.call('HINCRBY', KEYS[4], ARGV[1], -1) end
  if hdrReset > now then redis.call('HINCRBY', KEYS[2], 'hdrRemaining', -1) end
  return 0
end
if retry > recheck then retry = recheck end
if retry <= now then retry = now + 1000 end
return retry
