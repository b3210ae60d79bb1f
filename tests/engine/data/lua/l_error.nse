description = "raises"
categories = {"safe"}
prerule = function() return true end
local function inner(x)
  return x.field
end
action = function()
  return inner(nil)
end
