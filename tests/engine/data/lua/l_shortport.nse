local shortport = require "shortport"
description = "shortport rules on hand-made port tables"
categories = {"safe"}
prerule = function() return true end
local function P(n, proto, state, svc, tunnel)
  return {number = n, protocol = proto or "tcp", state = state or "open", service = svc or "unknown",
          version = {service_tunnel = tunnel, name_confidence = 8}}
end
action = function()
  local rules = {
    pn = shortport.portnumber({22, "80-90", "443"}),
    pn_udp = shortport.portnumber(53, "udp", {"open", "open|filtered"}),
    svc = shortport.service({"http", "ssh"}),
    pos = shortport.port_or_service(8080, "http-alt"),
    http = shortport.http,
    ssh = shortport.ssh,
    ssl = shortport.ssl,
    range = shortport.port_range("T:80,443,U:53,1000-1100"),
    vpos = shortport.version_port_or_service(22, "ssh"),
  }
  local ports = {P(22), P(85), P(443), P(53, "udp"), P(53, "udp", "closed"), P(8080), P(1, "tcp", "open", "http-alt"),
                 P(2222), P(1050, "udp"), P(1050), P(9999, "tcp", "open", "unknown", "ssl"), P(80, "tcp", "filtered"), P(993), P(5000, "tcp", "open", "https")}
  local names = {}
  for k in pairs(rules) do names[#names + 1] = k end
  table.sort(names)
  local out = {}
  for _, name in ipairs(names) do
    local bits = {}
    for i, port in ipairs(ports) do bits[i] = rules[name](nil, port) and "1" or "0" end
    out[#out + 1] = name .. " " .. table.concat(bits)
  end
  local ok, err = pcall(shortport.portnumber({"90-80"}), nil, P(85))
  out[#out + 1] = tostring(ok) .. " " .. tostring(err):gsub("^.-:%d+: ", "")
  return table.concat(out, "\n")
end
