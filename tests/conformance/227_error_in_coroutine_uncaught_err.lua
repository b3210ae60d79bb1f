-- an error raised through coroutine.wrap at top level is not caught
local gen = coroutine.wrap(function() coroutine.yield(1); error("wrapped failure") end)
print(gen())
print(gen())
