-- Starts the planned edit of a board: only the job of the current plan for the current message may, and only one
-- interval after the last edit (its start, until it ends; then its end) and while no other edit is under way;
-- otherwise the plan moves to then (for an edit under way: one interval from now, or the end of its lease if
-- sooner, and the time is checked again). Starting clears the plan, so that a snapshot applied from now on plans
-- the next edit, stamps the start (an edit whose process dies still counts), and leases the edit, so that a slow
-- one is never joined by a second one before the lease ends.
--
-- KEYS[1] board hash
-- ARGV[1] message id   ARGV[2] planned due time   ARGV[3] now, epoch ms   ARGV[4] edit interval, ms
-- ARGV[5] lease, ms
-- Returns {'go', field, value, …} with the board's fields, {'wait', new due time}, or {'stale'}.

local board = redis.call('HMGET', KEYS[1], 'messageId', 'nextDue', 'editedAt', 'editingUntil')
if board[1] ~= ARGV[1] or board[2] ~= ARGV[2] then
  return {'stale'}
end
local now = tonumber(ARGV[3])
local interval = tonumber(ARGV[4])
local earliest = (tonumber(board[3]) or 0) + interval
local leased = tonumber(board[4]) or 0
if leased > now then
  earliest = math.max(earliest, math.min(leased, now + interval))
end
if now < earliest then
  local text = string.format('%.0f', earliest)
  redis.call('HSET', KEYS[1], 'nextDue', text)
  return {'wait', text}
end
redis.call('HDEL', KEYS[1], 'nextDue')
redis.call('HSET', KEYS[1], 'editedAt', ARGV[3], 'editingUntil', string.format('%.0f', now + tonumber(ARGV[5])))
local result = {'go'}
for _, value in ipairs(redis.call('HGETALL', KEYS[1])) do
  result[#result + 1] = value
end
return result
