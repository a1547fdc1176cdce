-- Commits one inbox entry's outcome to the artist's state, atomically, if the caller still holds the drain lock
-- and the state is still the version the outcome was computed from (compare-and-set on `v`). The decisions are
-- made in Node by the pure engine (src/milestones/advance-artist.ts); this script only makes sure exactly one
-- application moves the state from each version, so each milestone is claimed exactly once.
--
-- KEYS[1] artist state hash: v (version token), last (newest applied capturedAt, ms), lastAt (ISO), pat (the
--         lastAt before it), s (every subject's state, JSON, opaque here)
-- KEYS[2] the entry's applied-result key (kept for a while, so a job that runs again gets the same answer)
-- KEYS[3] stream history (sorted set by capturedAt; status charts)   KEYS[4] inbox   KEYS[5] inbox entries
-- KEYS[6] drain lock
-- ARGV[1] lock token       ARGV[2] entry id         ARGV[3] capturedAt ms       ARGV[4] capturedAt ISO
-- ARGV[5] version read     ARGV[6] new version      ARGV[7] new subjects JSON ('' when the entry is stale)
-- ARGV[8] result to keep: first character 'q' (nothing announced) or 'a'
-- ARGV[9] result TTL, s    ARGV[10] history point ('' for none)   ARGV[11] history points kept
-- ARGV[12] lock time-to-live, ms
-- Returns {'lost'} (another drainer holds the lock) | {'moved', v, last, s} (decide again from this state) |
-- {status, result, 'held'} (something to announce: the caller announces, then finishes the entry) |
-- {status, result, 'released'} | {status, result, 'next', id, payload} (the entry is done; the next one waits),
-- where status is 'applied' or 'repeat' (the entry had been committed before: its kept result comes back).

if redis.call('GET', KEYS[6]) ~= ARGV[1] then
  return {'lost'}
end

local status = 'applied'
local result = redis.call('GET', KEYS[2])
if result then
  status = 'repeat'
else
  local state = redis.call('HMGET', KEYS[1], 'v', 'last', 'lastAt')
  if (state[1] or '') ~= ARGV[5] then
    return {'moved', state[1] or '', state[2] or '', redis.call('HGET', KEYS[1], 's') or ''}
  end
  if ARGV[7] ~= '' then
    if (not state[2]) or tonumber(ARGV[3]) > tonumber(state[2]) then
      if state[3] then
        redis.call('HSET', KEYS[1], 'pat', state[3])
      end
      redis.call('HSET', KEYS[1], 'last', ARGV[3], 'lastAt', ARGV[4])
    end
    redis.call('HSET', KEYS[1], 'v', ARGV[6], 's', ARGV[7])
    if ARGV[10] ~= '' then
      redis.call('ZADD', KEYS[3], ARGV[3], ARGV[10])
      redis.call('ZREMRANGEBYRANK', KEYS[3], 0, -(tonumber(ARGV[11]) + 1))
    end
  end
  result = ARGV[8]
  redis.call('SET', KEYS[2], result, 'EX', tonumber(ARGV[9]))
end

if string.sub(result, 1, 1) ~= 'q' then
  redis.call('PEXPIRE', KEYS[6], ARGV[12])
  return {status, result, 'held'}
end
redis.call('ZREM', KEYS[4], ARGV[2])
redis.call('HDEL', KEYS[5], ARGV[2])
local head = redis.call('ZRANGE', KEYS[4], 0, 0)
if #head == 0 then
  redis.call('DEL', KEYS[6])
  return {status, result, 'released'}
end
redis.call('PEXPIRE', KEYS[6], ARGV[12])
return {status, result, 'next', head[1], redis.call('HGET', KEYS[5], head[1]) or ''}
