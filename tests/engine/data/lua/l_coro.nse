local stdnse = require "stdnse"
description = "sleep inside a coroutine"
categories = {"safe"}
prerule = function() return true end
action = function()
  local co = coroutine.wrap(function() stdnse.sleep(0.05) coroutine.yield("y1") return "r" end)
  local a = co()
  local b = co()
  return a .. b
end
