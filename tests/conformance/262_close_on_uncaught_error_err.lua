-- an uncaught error still closes the main chunk's to-be-closed variables
local r <close> = setmetatable({}, {__close = function(_, e) print("closing with", (tostring(e):match("^[^\n]*"))) end})
print("raising")
error("uncaught", 0)
