local nmap = require "nmap"
local stdnse = require "stdnse"
description = "workers, condvar, mutex"
categories = {"safe"}
prerule = function() return true end
action = function()
  local done = {}
  local cv = nmap.condvar(done)
  local m = nmap.mutex(done)
  local cos = {}
  for i = 1, 4 do
    cos[i] = stdnse.new_thread(function(n)
      m "lock"
      stdnse.sleep(0.01)
      done[#done + 1] = n
      m "done"
      cv "signal"
    end, i)
  end
  while #done < 4 do cv "wait" end
  table.sort(done)
  local st = {}
  for i = 1, 4 do
    while coroutine.status(cos[i]) ~= "dead" do stdnse.sleep(0.01) end
    st[i] = coroutine.status(cos[i])
  end
  return table.concat(done, ",") .. " " .. table.concat(st, ",")
end
