-- a base64 encoder/decoder with bit operations
local alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
local function enc(data)
  local out = {}
  for i = 1, #data, 3 do
    local a, b, c = data:byte(i, i + 2)
    local n = (a << 16) | ((b or 0) << 8) | (c or 0)
    local chars = {}
    for j = 3, 0, -1 do
      local idx = (n >> (j * 6)) & 63
      chars[#chars + 1] = alphabet:sub(idx + 1, idx + 1)
    end
    if not b then chars[3], chars[4] = "=", "="
    elseif not c then chars[4] = "=" end
    out[#out + 1] = table.concat(chars)
  end
  return table.concat(out)
end
local rev = {}
for i = 1, #alphabet do rev[alphabet:byte(i)] = i - 1 end
local function dec(s)
  s = s:gsub("[^%w%+/=]", "")
  local out = {}
  for i = 1, #s, 4 do
    local n, pad = 0, 0
    for j = 0, 3 do
      local ch = s:byte(i + j)
      if ch == 61 then pad = pad + 1; n = n << 6 else n = (n << 6) | rev[ch] end
    end
    local bytes = string.char((n >> 16) & 255, (n >> 8) & 255, n & 255)
    out[#out + 1] = bytes:sub(1, 3 - pad)
  end
  return table.concat(out)
end
for _, s in ipairs({"", "f", "fo", "foo", "foob", "fooba", "foobar", "\0\255\128binary"}) do
  local e = enc(s)
  print(string.format("%q", s), e, dec(e) == s)
end
local all = {}
for i = 0, 255 do all[#all + 1] = string.char(i) end
local blob = table.concat(all):rep(4)
print(#enc(blob), dec(enc(blob)) == blob, enc(blob):sub(1, 24))
