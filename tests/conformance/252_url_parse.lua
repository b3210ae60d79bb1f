-- parsing and building URLs with patterns, escapes and query strings
local function unescape(s) return (s:gsub("+", " "):gsub("%%(%x%x)", function(h) return string.char(tonumber(h, 16)) end)) end
local function escape(s) return (s:gsub("[^%w%-_%.~]", function(c) return string.format("%%%02X", c:byte()) end)) end
local function parse(url)
  local r = {}
  local rest = url
  r.scheme, rest = rest:match("^(%a[%w+.-]*)://(.*)$")
  if not r.scheme then return nil, "no scheme" end
  rest = rest:gsub("#(.*)$", function(f) r.fragment = f; return "" end)
  rest = rest:gsub("%?(.*)$", function(q) r.query = q; return "" end)
  local authority, path = rest:match("^([^/]*)(.*)$")
  r.path = path ~= "" and path or "/"
  local userinfo, hostport = authority:match("^(.*)@(.*)$")
  if userinfo then r.user, r.password = userinfo:match("^([^:]*):?(.*)$") else hostport = authority end
  r.host, r.port = hostport:match("^%[?([^%]]*)%]?:(%d+)$")
  if not r.host then r.host = hostport:match("^%[?([^%]]*)%]?$") end
  r.port = tonumber(r.port)
  r.params = {}
  if r.query then
    for k, v in r.query:gmatch("([^&=]+)=?([^&]*)") do r.params[unescape(k)] = unescape(v) end
  end
  return r
end
local urls = {
  "http://example.com",
  "https://user:pa%3Ass@host.example:8443/a/b/c.html?x=1&y=two+words&z=%41%42#frag",
  "ftp://[::1]:21/pub/",
  "http://host/path?flag&empty=",
  "not a url",
}
for _, u in ipairs(urls) do
  local r, err = parse(u)
  if not r then print(u, err) else
    local keys = {}
    for k, v in pairs(r.params) do keys[#keys + 1] = k .. "=" .. v end
    table.sort(keys)
    print(r.scheme, r.host, r.port, r.path, r.user, r.password, r.fragment, table.concat(keys, ";"))
  end
end
print(escape("a b&c=d/é~"), unescape(escape("a b&c=d/é~")))
