-- Binary data: string.pack / string.unpack of headers, as protocol code does.
local scale = tonumber(arg and arg[1]) or 1
local n = math.floor(350000 * scale)
local packets = {}
for i = 1, n do
  packets[#packets + 1] = string.pack(">I2 I2 I4 I4 B B I2 s1", i % 65536, (i * 7) % 65536, i, i * 3, 5, i % 256, 0xffff - i % 1000, "payload" .. i % 10)
end
local blob = table.concat(packets)
local pos, sum, plen = 1, 0, 0
while pos <= #blob do
  local sport, dport, seq, ack, off, flags, win, payload
  sport, dport, seq, ack, off, flags, win, payload, pos = string.unpack(">I2 I2 I4 I4 B B I2 s1", blob, pos)
  sum = (sum + sport + dport + seq + ack + off + flags + win) % 4294967296
  plen = plen + #payload
end
local le = 0
for i = 1, n do
  local s = string.pack("<i8 d z", i, i / 3, "x")
  local a, b, c = string.unpack("<i8 d z", s)
  le = le + a + math.floor(b) + #c
end
print(#blob, sum, plen, le, string.packsize(">I2 I2 I4 I4 B B I2"))
