-- an uncaught error object with __tostring is reported through it
print("raising an object")
error(setmetatable({}, {__tostring = function() return "custom error object" end}))
