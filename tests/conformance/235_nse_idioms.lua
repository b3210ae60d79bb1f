-- idioms common in NSE scripts and libraries
local data = "\0\1\2\254\255ABC"
print(("%02x"):rep(#data):format(data:byte(1, -1)))
print(("%02X "):rep(#data, ""):format(data:byte(1, -1)))
local t = {data:byte(1, -1)}
print(#t, t[4], table.concat(t, "."))
local function strsplit(pattern, text)
  local list, pos = {}, 1
  while true do
    local first, last = text:find(pattern, pos)
    if not first then list[#list + 1] = text:sub(pos); break end
    list[#list + 1] = text:sub(pos, first - 1)
    pos = last + 1
  end
  return list
end
print(table.concat(strsplit(",%s*", "a, b,c,  d"), "|"))
local output = {}
output[#output + 1] = "line one"
output[#output + 1] = string.format("  %s: %d", "port", 80)
print(table.concat(output, "\n"))
local port = {number = 80, protocol = "tcp", state = "open", service = "http"}
local function portnumber(...)
  local ports = {...}
  return function(host, p) for _, n in ipairs(ports) do if p.number == n then return true end end return false end
end
print(portnumber(22, 80, 443)(nil, port), portnumber(21)(nil, port))
local status, result = pcall(function() return nil, "socket closed" end)
print(status, result)
local response = "HTTP/1.1 200 OK\r\nServer: demo/1.0\r\nContent-Length: 5\r\n\r\nhello"
local code = tonumber(response:match("^HTTP/%d%.%d (%d+)"))
local headers = {}
for k, v in response:gmatch("\r\n([^:\r\n]+): ([^\r\n]*)") do headers[k:lower()] = v end
local body = response:match("\r\n\r\n(.*)$")
print(code, headers.server, headers["content-length"], body)
local ip = "192.168.0.1"
local o = {ip:match("^(%d+)%.(%d+)%.(%d+)%.(%d+)$")}
print(#o, string.pack(">BBBB", table.unpack(o, 1, 4)) == "\192\168\0\1")
print(string.format("%-20s%s", "PORT", "STATE"), ("x"):rep(0) == "")
