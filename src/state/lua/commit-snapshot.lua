-- Commits one snapshot's outcome to an artist's state, atomically, if the state is still the one the outcome was
-- computed from (compare-and-set on `last`). The decisions themselves are made in Node by the pure engine
-- (src/milestones/decide.ts) — this script only makes sure exactly one application moves the state from each
-- version, so each milestone is claimed exactly once across any number of workers and processes.
--
-- KEYS[1]  artist state hash: last (capturedAt ms; the state's version), lastAt (ISO), pat (previous lastAt),
--          s (every subject's state, JSON, opaque here)
-- KEYS[2]  this snapshot's applied-result key (a retried or repeated snapshot gets the same answer back)
-- KEYS[3]  the artist's stream history (sorted set by capturedAt; feeds status charts)
-- ARGV[1]  capturedAt, epoch ms      ARGV[2] capturedAt, ISO as given
-- ARGV[3]  applied-result TTL (s)    ARGV[4] history point (JSON; '' for none)   ARGV[5] history points kept
-- ARGV[6]  the `last` the outcome was computed from ('' for no state yet)
-- ARGV[7]  the subjects' state after this snapshot (JSON)
-- ARGV[8]  the announced milestones, "key=threshold\n…"
-- Returns {'applied', announced} | {'repeat', announced} | {'stale', last} | {'moved', last, lastAt, s} (the state
-- changed since it was read: decide again from the state returned and commit again).

local cached = redis.call('GET', KEYS[2])
if cached then
  return {'repeat', cached}
end

local state = redis.call('HMGET', KEYS[1], 'last', 'lastAt', 's')
if state[1] and tonumber(ARGV[1]) <= tonumber(state[1]) then
  return {'stale', state[1]}
end
if (state[1] or '') ~= ARGV[6] then
  return {'moved', state[1] or '', state[2] or '', state[3] or ''}
end

if state[2] then
  redis.call('HSET', KEYS[1], 'last', ARGV[1], 'lastAt', ARGV[2], 'pat', state[2], 's', ARGV[7])
else
  redis.call('HSET', KEYS[1], 'last', ARGV[1], 'lastAt', ARGV[2], 's', ARGV[7])
end

if ARGV[4] ~= '' then
  redis.call('ZADD', KEYS[3], ARGV[1], ARGV[4])
  redis.call('ZREMRANGEBYRANK', KEYS[3], 0, -(tonumber(ARGV[5]) + 1))
end

redis.call('SET', KEYS[2], ARGV[8], 'EX', tonumber(ARGV[3]))
return {'applied', ARGV[8]}
