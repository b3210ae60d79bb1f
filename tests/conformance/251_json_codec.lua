-- a small JSON encoder and decoder (sorted keys, escapes, numbers)
local encode
local escapes = {['"'] = '\\"', ["\\"] = "\\\\", ["\b"] = "\\b", ["\f"] = "\\f", ["\n"] = "\\n", ["\r"] = "\\r", ["\t"] = "\\t"}
local function enc_string(s)
  return '"' .. s:gsub('[%c"\\]', function(c) return escapes[c] or string.format("\\u%04x", c:byte()) end) .. '"'
end
function encode(v)
  local t = type(v)
  if t == "nil" then return "null"
  elseif t == "boolean" then return tostring(v)
  elseif t == "number" then
    if math.type(v) == "integer" then return tostring(v) end
    if v ~= v or v == math.huge or v == -math.huge then error("cannot encode " .. tostring(v)) end
    return string.format("%.14g", v)
  elseif t == "string" then return enc_string(v)
  elseif t == "table" then
    if #v > 0 or next(v) == nil then
      local parts = {}
      for i = 1, #v do parts[i] = encode(v[i]) end
      return "[" .. table.concat(parts, ",") .. "]"
    end
    local keys = {}
    for k in pairs(v) do keys[#keys + 1] = tostring(k) end
    table.sort(keys)
    local parts = {}
    for _, k in ipairs(keys) do parts[#parts + 1] = enc_string(k) .. ":" .. encode(v[k]) end
    return "{" .. table.concat(parts, ",") .. "}"
  end
  error("cannot encode a " .. t)
end
local decode
local function skip(s, i) return s:find("[^ \t\r\n]", i) or #s + 1 end
local function dec_value(s, i)
  i = skip(s, i)
  local c = s:sub(i, i)
  if c == "{" then
    local obj = {}
    i = skip(s, i + 1)
    if s:sub(i, i) == "}" then return obj, i + 1 end
    while true do
      local k; k, i = dec_value(s, i)
      i = skip(s, i)
      assert(s:sub(i, i) == ":", "colon expected at " .. i)
      local v; v, i = dec_value(s, i + 1)
      obj[k] = v
      i = skip(s, i)
      local d = s:sub(i, i)
      if d == "}" then return obj, i + 1 end
      assert(d == ",", "comma expected at " .. i)
      i = i + 1
    end
  elseif c == "[" then
    local arr = {}
    i = skip(s, i + 1)
    if s:sub(i, i) == "]" then return arr, i + 1 end
    while true do
      local v; v, i = dec_value(s, i)
      arr[#arr + 1] = v
      i = skip(s, i)
      local d = s:sub(i, i)
      if d == "]" then return arr, i + 1 end
      i = i + 1
    end
  elseif c == '"' then
    local j, out = i + 1, {}
    while true do
      local ch = s:sub(j, j)
      if ch == '"' then return table.concat(out), j + 1 end
      if ch == "\\" then
        local e = s:sub(j + 1, j + 1)
        local map = {b = "\b", f = "\f", n = "\n", r = "\r", t = "\t", ['"'] = '"', ["\\"] = "\\", ["/"] = "/"}
        if e == "u" then out[#out + 1] = utf8.char(tonumber(s:sub(j + 2, j + 5), 16)); j = j + 6
        else out[#out + 1] = map[e]; j = j + 2 end
      else out[#out + 1] = ch; j = j + 1 end
    end
  elseif s:find("^true", i) then return true, i + 4
  elseif s:find("^false", i) then return false, i + 5
  elseif s:find("^null", i) then return nil, i + 4
  else
    local num = s:match("^-?%d+%.?%d*[eE]?[-+]?%d*", i)
    return math.tointeger(tonumber(num)) or tonumber(num), i + #num
  end
end
function decode(s) return (dec_value(s, 1)) end
local doc = {name = "nse", version = 7.93, ports = {22, 80, 443}, nested = {ok = true, none = false, ratio = 0.25},
  text = "line\n\"quoted\"\ttab\1", empty = {}}
local j = encode(doc)
print(j)
local back = decode(j)
print(back.name, back.version, #back.ports, back.ports[3], back.nested.ok, back.nested.ratio, back.text == doc.text)
print(encode(decode('  {"a" : [1, 2.5, -3e2, "x\\u00e9y"], "b": {"c": null, "d": [] } } ')))
print(pcall(encode, {f = print}))
print(pcall(encode, 0 / 0))
