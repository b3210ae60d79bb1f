local stdnse = require "stdnse"
description = "globals are per thread"
categories = {"safe"}
hostrule = function(host) return true end
action = function(host)
  local before = rawget(_ENV, "counter")
  counter = (before or 0) + 1
  return ("counter=%d before=%s type=%s name=%s"):format(counter, tostring(before), SCRIPT_TYPE, SCRIPT_NAME)
end
