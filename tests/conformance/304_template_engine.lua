-- a string template engine: variables, filters, loops, escapes via gsub callbacks
local filters = {
  upper = string.upper, lower = string.lower, len = function(s) return tostring(#s) end,
  reverse = string.reverse, trim = function(s) return (s:gsub("^%s+", ""):gsub("%s+$", "")) end,
  hex = function(s) return (s:gsub(".", function(c) return ("%02x"):format(c:byte()) end)) end,
}
local function lookup(ctx, path)
  local v = ctx
  for part in path:gmatch("[^%.]+") do
    if type(v) ~= "table" then return nil end
    v = v[tonumber(part) or part]
  end
  return v
end
local render
local function expand(tpl, ctx)
  tpl = tpl:gsub("{%%%s*for (%w+) in ([%w%.]+)%s*%%}(.-){%%%s*end%s*%%}", function(var, listpath, body)
    local out = {}
    for i, item in ipairs(lookup(ctx, listpath) or {}) do
      local sub = setmetatable({[var] = item, index = i}, {__index = ctx})
      out[#out + 1] = render(body, sub)
    end
    return table.concat(out)
  end)
  return (tpl:gsub("{{%s*([%w%.]+)%s*([|%w%s]*)}}", function(path, chain)
    local v = lookup(ctx, path)
    if v == nil then return "<" .. path .. "?>" end
    v = tostring(v)
    for f in chain:gmatch("|%s*(%w+)") do v = filters[f] and filters[f](v) or (v .. "<no filter " .. f .. ">") end
    return v
  end))
end
render = expand
local ctx = {title = "  Port Report  ", host = {name = "scanme", ip = "10.0.0.1"},
  ports = {{n = 22, s = "ssh"}, {n = 80, s = "http"}, {n = 443, s = "https"}}}
print(render("{{ title | trim | upper }} for {{host.name}} ({{ host.ip | hex }})", ctx))
print(render("{% for p in ports %}[{{index}}:{{p.n}}/{{p.s|upper|reverse}}]{% end %}", ctx))
print(render("missing: {{nope}} {{host.nope}} {{title|bogus}} len={{title|len}}", ctx))
print(render("{{ports.2.s}} {{ports.3.n}}", ctx))
