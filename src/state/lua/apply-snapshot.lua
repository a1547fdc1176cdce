-- Applies one snapshot's subject readings to an artist's state, atomically (CONTRACT §3.1-3.4).
-- The per-subject rule mirrors src/milestones/decide.ts (decideSubject); test/integration holds them equal.
--
-- KEYS[1]  artist state hash: last, lastAt, r:<subject> reached, v:<subject> value, pv:<subject> previous value,
--          pat previous capturedAt, d:<subject> last decision
-- KEYS[2]  this snapshot's applied-result key (makes a retried or repeated snapshot return the same answer)
-- KEYS[3]  the artist's stream history (sorted set by capturedAt; feeds status charts)
-- ARGV[1]  capturedAt, epoch ms      ARGV[2] capturedAt, ISO as given
-- ARGV[3]  applied-result TTL (s)    ARGV[4] history point (JSON; '' for none)   ARGV[5] history points kept
-- ARGV[6…] triples: subject key, value, floor (integers as decimal strings, stored as given)
-- Returns {'applied'|'repeat', "key=threshold\n…"} or {'stale', lastAppliedMs}.

local cached = redis.call('GET', KEYS[2])
if cached then
  return {'repeat', cached}
end

local at = tonumber(ARGV[1])
local last = redis.call('HGET', KEYS[1], 'last')
if last and at <= tonumber(last) then
  return {'stale', last}
end

local n = (#ARGV - 5) / 3
local chunk = 500

-- Read r: and v: for every subject, in chunks (unpack has a stack limit).
local reached, values = {}, {}
local i = 0
while i < n do
  local j = math.min(i + chunk, n)
  local fields = {}
  for s = i, j - 1 do
    local key = ARGV[6 + s * 3]
    fields[#fields + 1] = 'r:' .. key
    fields[#fields + 1] = 'v:' .. key
  end
  local got = redis.call('HMGET', KEYS[1], unpack(fields))
  for s = i, j - 1 do
    local k = (s - i) * 2
    reached[s + 1] = got[k + 1]
    values[s + 1] = got[k + 2]
  end
  i = j
end

local prevAt = redis.call('HGET', KEYS[1], 'lastAt')
local writes = {'last', ARGV[1], 'lastAt', ARGV[2]}
if prevAt then
  writes[#writes + 1] = 'pat'
  writes[#writes + 1] = prevAt
end
local announced = {}
for s = 0, n - 1 do
  local key, value, floor = ARGV[6 + s * 3], ARGV[7 + s * 3], ARGV[8 + s * 3]
  local r = reached[s + 1]
  local decision
  if not r then
    decision = 'baseline'
    writes[#writes + 1] = 'r:' .. key
    writes[#writes + 1] = floor
  elseif tonumber(floor) > tonumber(r) then
    decision = 'announced'
    writes[#writes + 1] = 'r:' .. key
    writes[#writes + 1] = floor
    announced[#announced + 1] = key .. '=' .. floor
  else
    decision = 'below-next'
  end
  if values[s + 1] then
    writes[#writes + 1] = 'pv:' .. key
    writes[#writes + 1] = values[s + 1]
  end
  writes[#writes + 1] = 'v:' .. key
  writes[#writes + 1] = value
  writes[#writes + 1] = 'd:' .. key
  writes[#writes + 1] = decision
end

local w = 1
while w <= #writes do
  local upto = math.min(w + chunk * 2 - 1, #writes)
  redis.call('HSET', KEYS[1], unpack(writes, w, upto))
  w = upto + 1
end

if ARGV[4] ~= '' then
  redis.call('ZADD', KEYS[3], ARGV[1], ARGV[4])
  redis.call('ZREMRANGEBYRANK', KEYS[3], 0, -(tonumber(ARGV[5]) + 1))
end

local result = table.concat(announced, '\n')
redis.call('SET', KEYS[2], result, 'EX', tonumber(ARGV[3]))
return {'applied', result}
