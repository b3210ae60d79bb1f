-- string utilities as scripts write them
local function split(s, sep)
  local out = {}
  local pattern = "([^" .. sep .. "]*)"
  for piece in (s .. sep):gmatch(pattern .. sep) do out[#out + 1] = piece end
  return out
end
local parts = split("a,b,,c", ",")
print(#parts, table.concat(parts, "|"))
local function trim(s) return (s:gsub("^%s+", ""):gsub("%s+$", "")) end
print("[" .. trim("  \t hello world \n ") .. "]")
local function startswith(s, p) return s:sub(1, #p) == p end
local function endswith(s, p) return p == "" or s:sub(-#p) == p end
print(startswith("prefix-body", "prefix"), startswith("x", "xy"), endswith("file.nse", ".nse"), endswith("a", ""))
local function capitalize(s) return (s:gsub("(%a)([%w]*)", function(a, b) return a:upper() .. b:lower() end)) end
print(capitalize("hello WORLD from lua"))
local function count(s, sub) return select(2, s:gsub(sub, "")) end
print(count("banana", "a"), count("banana", "an"), count("aaa", "aa"))
local function wrap(s, width)
  local lines, line = {}, ""
  for word in s:gmatch("%S+") do
    if #line + #word + 1 > width and #line > 0 then lines[#lines + 1] = line; line = word
    else line = (#line > 0) and (line .. " " .. word) or word end
  end
  if #line > 0 then lines[#lines + 1] = line end
  return lines
end
for _, l in ipairs(wrap("the quick brown fox jumps over the lazy dog again and again", 15)) do print(l) end
