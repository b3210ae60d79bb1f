local text = string.rep("GET /index.html HTTP/1.1\r\nHost: example.com\r\nUser-Agent: x\r\n\r\n", 20000)
local n = 0
for line in text:gmatch("[^\r\n]+") do
  local k, v = line:match("^([%w-]+):%s*(.*)$")
  if k then n = n + #v end
end
local c = select(2, text:gsub("%a+", "%0"))
print(n, c, text:find("example", 1, true))
