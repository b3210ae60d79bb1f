-- byte manipulation: hex encoding, IPv4 parsing, a table-driven CRC32, an Internet checksum
local function tohex(s) return (s:gsub(".", function(c) return string.format("%02x", c:byte()) end)) end
local function fromhex(h) return (h:gsub("%x%x", function(x) return string.char(tonumber(x, 16)) end)) end
print(tohex("Lua\0\255"), fromhex("4c7561") == "Lua")
local function ip2int(ip)
  local a, b, c, d = ip:match("^(%d+)%.(%d+)%.(%d+)%.(%d+)$")
  return ((tonumber(a) << 24) | (tonumber(b) << 16) | (tonumber(c) << 8) | tonumber(d))
end
local function int2ip(n) return string.format("%d.%d.%d.%d", n >> 24 & 255, n >> 16 & 255, n >> 8 & 255, n & 255) end
print(ip2int("192.168.1.10"), int2ip(ip2int("10.0.0.255")), int2ip(0xffffffff))
local crc_table = {}
for i = 0, 255 do
  local c = i
  for _ = 1, 8 do
    if c & 1 == 1 then c = 0xEDB88320 ~ (c >> 1) else c = c >> 1 end
  end
  crc_table[i] = c
end
local function crc32(s)
  local crc = 0xFFFFFFFF
  for i = 1, #s do crc = crc_table[(crc ~ s:byte(i)) & 0xFF] ~ (crc >> 8) end
  return crc ~ 0xFFFFFFFF
end
print(string.format("%08x", crc32("The quick brown fox jumps over the lazy dog")), string.format("%08x", crc32("")))
local function inet_checksum(data)
  if #data % 2 == 1 then data = data .. "\0" end
  local sum = 0
  for i = 1, #data, 2 do sum = sum + string.unpack(">I2", data, i) end
  while sum >> 16 ~= 0 do sum = (sum & 0xffff) + (sum >> 16) end
  return ~sum & 0xffff
end
print(string.format("%04x", inet_checksum(fromhex("450000730000400040110000c0a80001c0a800c7"))))
print(tohex(string.pack(">I4", ip2int("127.0.0.1"))))
