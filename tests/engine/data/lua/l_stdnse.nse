local stdnse = require "stdnse"
local nmap = require "nmap"
description = "stdnse functions, printed one per line"
categories = {"safe"}
prerule = function() return true end
action = function()
  local out = {}
  local function p(...)
    local t = table.pack(...)
    for i = 1, t.n do t[i] = tostring(t[i]) end
    out[#out + 1] = table.concat(t, " ", 1, t.n)
  end
  p(stdnse.tohex("\1\2\255"), stdnse.tohex(48879), stdnse.tohex("ab", {separator = ":"}))
  p(stdnse.fromhex("41 42\n43"), stdnse.fromhex("4"), stdnse.fromhex("zz"))
  p(stdnse.format_mac("\0\17\34\51\68\85"), stdnse.tooctal(64), stdnse.tobinary(10))
  p(stdnse.parse_timespec("2.5m"), stdnse.parse_timespec("300ms"), stdnse.parse_timespec("10"))
  p(stdnse.parse_timespec("5x"), stdnse.parse_timespec("h"))
  p(stdnse.string_or_blank(""), stdnse.string_or_blank(nil, "-"), stdnse.string_or_blank("s"))
  p(stdnse.get_hostname({ip = "1.2.3.4", name = ""}), stdnse.get_hostname({ip = "1.2.3.4", name = "n", targetname = "t"}))
  p(stdnse.get_timeout(nil), stdnse.get_timeout({times = {timeout = 1.3}}), stdnse.get_timeout({times = {timeout = 1.3}}, 10000, 3000))
  stdnse.registry_add_array({"l_stdnse", "arr"}, "x")
  stdnse.registry_add_array({"l_stdnse", "arr"}, "x")
  stdnse.registry_add_array({"l_stdnse", "arr"}, "y")
  stdnse.registry_add_table({"l_stdnse", "tab"}, "k", "v")
  p(#stdnse.registry_get({"l_stdnse", "arr"}), stdnse.registry_get({"l_stdnse", "tab"}).k,
    stdnse.registry_exists({"l_stdnse", "arr"}, nil, "y"), stdnse.registry_exists({"nope"}, nil, 1))
  p(stdnse.format_output(true, {"a", {"b", "c", name = "sub"}, "d"}))
  p(stdnse.format_output(false, {"hidden"}), stdnse.format_output(true, {}))
  local pp = {}
  stdnse.pretty_printer({"x", 3}, function(s) pp[#pp + 1] = s end)
  p(table.concat(pp))
  local ot = stdnse.output_table()
  ot.b = 1
  ot.a = 2
  ot.b = 3
  local keys = {}
  for k, v in pairs(ot) do keys[#keys + 1] = k .. "=" .. v end
  p(table.concat(keys, ","), #ot, ot(), stdnse.output_table()())
  p(type(stdnse.clock_ms()), type(nmap.clock()), nmap.clock_ms() > 1e12)
  p(stdnse.getid(), stdnse.isworker(), select("#", stdnse.gethostport()))
  return table.concat(out, "\n")
end
