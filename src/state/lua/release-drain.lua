-- Gives up the drain lock if this drainer still holds it (after an error; the entries stay in the inbox for the
-- next drainer). KEYS[1] drain lock; ARGV[1] lock token. Returns 1 if it was released.

if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
