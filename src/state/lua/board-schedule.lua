-- Asks for an edit of a server's board after a snapshot was applied. Every ask before that edit starts gets the
-- same due time (the edit that is already planned), so snapshots arriving together make one edit. A new plan is due
-- one interval after the last edit, and never in the past (an edit still under way then is the claim's concern).
--
-- KEYS[1] board hash   KEYS[2] the artist's set of boards
-- ARGV[1] artist id   ARGV[2] guild id   ARGV[3] now, epoch ms   ARGV[4] edit interval, ms
-- Returns {due, message id}, or false when the server has no board of this artist (it leaves the set).

local board = redis.call('HMGET', KEYS[1], 'artistId', 'messageId', 'nextDue', 'editedAt')
if board[1] ~= ARGV[1] or not board[2] then
  redis.call('SREM', KEYS[2], ARGV[2])
  return false
end
if board[3] then
  return {board[3], board[2]}
end
local due = math.max(tonumber(ARGV[3]), (tonumber(board[4]) or 0) + tonumber(ARGV[4]))
local text = string.format('%.0f', due)
redis.call('HSET', KEYS[1], 'nextDue', text)
return {text, board[2]}
