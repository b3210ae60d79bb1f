local nmap = require "nmap"
description = "new_try ends quietly"
categories = {"safe"}
prerule = function() return true end
action = function()
  local try = nmap.new_try(function() end)
  try(false, "went wrong")
  return "not reached"
end
