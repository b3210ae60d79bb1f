local stdnse = require "stdnse"
description = "ordered output"
categories = {"safe"}
prerule = function() return true end
action = function()
  local t = stdnse.output_table()
  t.zeta = "z"
  t.alpha = {"a1", "a2"}
  t.mid = stdnse.output_table()
  t.mid.x = 1
  t.gone = 1
  t.gone = nil
  local args = {stdnse.get_script_args("l_table.k", "flag", "missing")}
  t.args = ("%s %s %s %d"):format(tostring(args[1]), tostring(args[2]), tostring(args[3]), #t)
  return t
end
