-- Pattern matching: gsub with strings/functions/tables, gmatch, find, match.
local scale = tonumber(arg and arg[1]) or 1
local lines = {}
for i = 1, math.floor(90000 * scale) do
  lines[#lines + 1] = string.format("GET /path/%d/item?id=%d&name=user%d HTTP/1.1 Host: h%d.example.com", i, i * 3, i % 97, i % 13)
end
local text = table.concat(lines, "\n")
local count, ids, hosts = 0, 0, {}
for id in text:gmatch("id=(%d+)") do ids = ids + tonumber(id) end
for host in text:gmatch("Host: (%S+)") do hosts[host] = (hosts[host] or 0) + 1 end
local nhosts = 0
for _ in pairs(hosts) do nhosts = nhosts + 1 end
local replaced, nrep = text:gsub("user(%d+)", function(d) return "u" .. (d * 2) end)
local upper, nup = text:gsub("%f[%a]%a+", {GET = "get", Host = "host"})
local pos, found = 1, 0
while true do
  local s, e = text:find("item?", pos, true)
  if not s then break end
  found = found + 1
  pos = e + 1
end
for l in text:gmatch("[^\n]+") do
  local method, path, proto = l:match("^(%u+) (%S+) (HTTP/%d%.%d)")
  if method then count = count + #path end
end
print(count, ids, nhosts, #replaced, nrep, #upper, nup, found)
