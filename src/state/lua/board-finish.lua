-- Ends an edit of a board (done or failed): records when, which is what the next edit waits one interval from,
-- and drops the lease. Nothing changes when the board has meanwhile been replaced or removed.
--
-- KEYS[1] board hash
-- ARGV[1] message id   ARGV[2] now, epoch ms
-- Returns 1 when recorded, 0 when the board is no longer that message.

if redis.call('HGET', KEYS[1], 'messageId') ~= ARGV[1] then
  return 0
end
redis.call('HSET', KEYS[1], 'editedAt', ARGV[2])
redis.call('HDEL', KEYS[1], 'editingUntil')
return 1
