-- ftp.lua style: backward goto to before a local declaration
local function auth(n)
  local tries = 0
  ::TRY_AGAIN::
  local status = tries
  tries = tries + 1
  if status < n then
    if true then goto TRY_AGAIN end
  end
  return status, tries
end
print(auth(3))
-- rpc.lua style: label before a for loop, goto after the loop
local function pick(ipv6)
  local proginfo
  ::AF_FALLBACK::
  for _, p in ipairs({"tcp", "udp"}) do
    if ipv6 then proginfo = nil else proginfo = p end
    if proginfo then break end
  end
  if ipv6 and not proginfo then
    ipv6 = false
    goto AF_FALLBACK
  end
  return proginfo
end
print(pick(true), pick(false))
-- ssh style: goto out of triple nested loops to the function end
local function search(m)
  local found = {}
  for i = 1, 3 do
    for j = 1, 3 do
      for k = 1, 3 do
        if i * j * k == m then found[#found+1] = i .. j .. k; goto ACTION_END end
      end
    end
  end
  found[#found+1] = "none"
  ::ACTION_END::
  return table.concat(found, ",")
end
print(search(6), search(100))
-- tls-alpn style: goto out of while + for, label followed by code
local function alpn(list)
  local chosen = {}
  while next(list) do
    local p = table.remove(list, 1)
    for i = 1, 2 do
      if p == "stop" then goto DONE end
      if i == 2 then chosen[#chosen+1] = p end
    end
    if p == "break" then break end
  end
  ::DONE::
  if next(chosen) then return table.concat(chosen, "+") end
  return "nothing"
end
print(alpn({"a", "b", "stop", "c"}), alpn({"x", "break", "y"}), alpn({}))
-- snmp style: continue label at the end of a for body, goto from nested if
for i = 1, 4 do
  if i == 2 then goto NEXT end
  do
    if i == 3 then goto NEXT end
    io.write(i, " ")
  end
  ::NEXT::
end
print()
-- two labels in one block, jumping both ways
local s = ""
local n = 0
goto second
::first::
s = s .. "F"
n = n + 1
if n > 2 then goto finish end
::second::
s = s .. "S"
goto first
::finish::
print(s)
-- nested state machines
local log = {}
for i = 1, 2 do
  local j = 0
  ::inner::
  j = j + 1
  if j < 3 then goto inner end
  log[#log+1] = i .. ":" .. j
  if i == 1 then goto cont end
  log[#log+1] = "after"
  ::cont::
end
print(table.concat(log, " "))
-- break inside SM inside loop
for i = 1, 5 do
  local k = 0
  ::again::
  k = k + 1
  if k < 2 then goto again end
  if i == 3 then break end
  io.write(i, k, " ")
end
print()
-- goto in repeat body to its end (until sees locals)
local r = 0
repeat
  r = r + 1
  local stop = r >= 3
  if r == 1 then goto skip end
  io.write("r", r, " ")
  ::skip::
until stop
print()
