local coroutine = require "coroutine"
local math = require "math"
local nmap = require "nmap"
local shortport = require "shortport"
local sslcert = require "sslcert"
local stdnse = require "stdnse"
local string = require "string"
local table = require "table"
local tls = require "tls"

local have_openssl, openssl = pcall(require, "openssl")

description = [[
Lists the cipher suites and compression methods a TLS server accepts for each protocol
version from SSLv3 to TLSv1.3, with a letter grade for each suite.

For every protocol the script offers every known cipher suite (in groups of at most 64),
takes out the one the server picks and asks again until the server refuses; compression
methods are found the same way. Two suites offered in both orders tell whether the server
or the client order wins; when the server's order wins, the suites are listed in that order
(found by offering the remaining accepted suites again and again), otherwise alphabetically.

A grade (A best to F worst) weighs the strength of the key exchange (certificate key and
ephemeral parameters as RSA-equivalent bits) at 43% and the cipher's key size at 57%
(SSL Labs' rating without its protocol part); anonymous key exchange, MD5/SHA1 certificate
signatures and an RSA exponent of 1 give F. The last line gives the weakest grade seen.
This script is intrusive: it makes many connections.
]]

---
-- @usage nmap -sV --script ssl-enum-ciphers -p 443 <target>
-- @output
-- 443/tcp open  https
-- | ssl-enum-ciphers:
-- |   TLSv1.2:
-- |     ciphers:
-- |       TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 (ecdh_x25519) - A
-- |       TLS_RSA_WITH_AES_256_CBC_SHA (rsa 2048) - A
-- |     compressors:
-- |       NULL
-- |     cipher preference: server
-- |   TLSv1.3:
-- |     ciphers:
-- |       TLS_AKE_WITH_AES_256_GCM_SHA384 (ecdh_x25519) - A
-- |     cipher preference: indeterminate
-- |     cipher preference error: Too few ciphers supported
-- |_  least strength: A
--
-- @xmloutput
-- <table key="TLSv1.2">
--   <table key="ciphers">
--     <table>
--       <elem key="kex_info">ecdh_x25519</elem>
--       <elem key="name">TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256</elem>
--       <elem key="strength">A</elem>
--     </table>
--   </table>
--   <table key="compressors">
--     <elem>NULL</elem>
--   </table>
--   <elem key="cipher preference">server</elem>
-- </table>
-- <elem key="least strength">A</elem>

author = "nse project"
license = "Same as Nmap--See https://nmap.org/book/man-legal.html"
categories = {"discovery", "intrusive"}

portrule = function(host, port)
  return shortport.ssl(host, port) or sslcert.getPrepareTLSWithoutReconnect(port)
end

-- Offered in one ClientHello at most: some servers fail on long ClientHellos.
local GROUP_SIZE = 64

local VERSIONS = {"SSLv3", "TLSv1.0", "TLSv1.1", "TLSv1.2", "TLSv1.3"}

local function sorted_names(t)
  local out = {}
  for k in pairs(t) do out[#out + 1] = k end
  table.sort(out)
  return out
end

local function remove_value(list, value)
  for i, v in ipairs(list) do
    if v == value then
      table.remove(list, i)
      return true
    end
  end
  return false
end

local function find_message(record, field, value)
  if not record then return nil end
  for _, msg in ipairs(record.body) do
    if msg[field] == value then return msg end
  end
  return nil
end

-- The ClientHello fields for `protocol` (its ciphers and compressors are filled in later).
local function hello_params(host, protocol)
  local name = tls.servername(host)
  local ext = {
    -- OpenSSL always sends these two; some servers refuse ECDHE suites without them.
    elliptic_curves = tls.EXTENSION_HELPERS.elliptic_curves(tls.DEFAULT_ELLIPTIC_CURVES),
    ec_point_formats = tls.EXTENSION_HELPERS.ec_point_formats({"uncompressed"}),
    server_name = name and tls.EXTENSION_HELPERS.server_name(name),
  }
  if protocol == "TLSv1.3" then
    -- RFC 8446 4.2.1: TLS 1.3 is only negotiated through supported_versions
    ext.supported_versions = tls.EXTENSION_HELPERS.supported_versions({"TLSv1.3"})
  end
  -- the record layer says the same version, so that a server refusing it says so at once
  return {protocol = protocol, record_protocol = protocol, extensions = ext}
end

-- Sends one ClientHello; returns the records the server answered with, merged by type
-- ({handshake = ..., alert = ...}), or nil when the connection failed.
local function exchange(host, port, params)
  local sock, ok, err
  local starttls = sslcert.getPrepareTLSWithoutReconnect(port)
  if starttls then
    ok, sock = starttls(host, port)
    if not ok then
      stdnse.debug1("%s: cannot connect: %s", params.protocol, sock)
      return nil
    end
  else
    sock = nmap.new_socket()
    sock:set_timeout(((host.times and host.times.timeout) or 5) * 1000 + 5000)
    ok, err = sock:connect(host, port)
    if not ok then
      stdnse.debug1("%s: cannot connect: %s", params.protocol, err)
      sock:close()
      return nil
    end
  end
  sock:set_timeout(((host.times and host.times.timeout) or 5) * 1000 + 5000)
  ok, err = sock:send(tls.client_hello(params))
  if not ok then
    sock:close()
    return nil
  end
  local got, buffer, pos, fragment = {}, "", 1, nil
  while true do
    local record
    pos, record = tls.record_read(buffer, pos, fragment)
    if not record then
      ok, buffer = tls.record_buffer(sock, buffer, pos)
      if ok then pos, record = tls.record_read(buffer, pos, fragment) end
      if not record then break end
    end
    fragment = record.fragment
    local merged = got[record.type]
    if merged then
      for _, msg in ipairs(record.body) do table.insert(merged.body, msg) end
    else
      got[record.type] = record
    end
    local finished = false
    for _, msg in ipairs(record.body) do
      if record.type == "alert" and msg.level == "fatal" then finished = true end
      if record.type == "handshake" and (msg.type == "server_hello_done"
          or (params.protocol == "TLSv1.3" and msg.type == "server_hello")) then
        finished = true
      end
    end
    if finished then break end
  end
  sock:close()
  return got
end

-- RSA-equivalent strength of the key exchange, the text shown next to the suite and the
-- warnings it deserves.
local function key_exchange(protocol, kex, kexname, handshake, server_hello, warn)
  local strength, text
  if kex.export then
    warn["Export key exchange"] = true
    strength = kexname:find("1024$") and 1024 or 512
  end
  if kex.anon then
    warn["Anonymous key exchange, score capped at F"] = true
    strength = 0
  elseif kex.pubkey then
    local certmsg = find_message(handshake, "type", "certificate")
    local cert = certmsg and certmsg.certificates[1]
      and sslcert.parse_ssl_certificate(certmsg.certificates[1])
    if cert and cert.pubkey.type == kex.pubkey then
      local bad = cert.sig_algorithm:match("([mM][dD][245])")
        or cert.sig_algorithm:match("([sS][hH][aA]1)")
      if bad then
        strength = 0
        warn[("Insecure certificate signature (%s), score capped at F"):format(bad:upper())] = true
      end
      local bits = tls.rsa_equiv(kex.pubkey, cert.pubkey.bits)
      strength = math.min(strength or bits, bits)
      if have_openssl and cert.pubkey.exponent
          and openssl.bignum_bn2dec(cert.pubkey.exponent) == "1" then
        strength = 0
        warn["Certificate RSA exponent is 1, score capped at F"] = true
      end
      local ecp = cert.pubkey.ecdhparams
      if ecp then
        local cp = ecp.curve_params
        text = cp.ec_curve_type == "namedcurve" and cp.curve
          or ("%s %d"):format(cp.ec_curve_type, cert.pubkey.bits)
      else
        text = ("%s %d"):format(kex.pubkey, cert.pubkey.bits)
      end
    end
  end
  -- ephemeral parameters: the ServerKeyExchange, or TLS 1.3's key_share
  local blob
  if protocol == "TLSv1.3" then
    blob = server_hello.extensions and server_hello.extensions.key_share
  elseif kex.server_key_exchange then
    local ske = find_message(handshake, "type", "server_key_exchange")
    blob = ske and ske.data
  end
  if blob then
    local info = kex.server_key_exchange(blob, protocol)
    if info.strength then
      local ktype = info.type or kex.type
      local ecp = info.ecdhparams
      if ecp then
        local cp = ecp.curve_params
        text = cp.ec_curve_type == "namedcurve" and cp.curve
          or ("%s %d"):format(cp.ec_curve_type, info.strength)
      else
        text = ("%s %d"):format(ktype, info.strength)
      end
      local bits = tls.rsa_equiv(ktype, info.strength)
      if strength and strength > bits then
        warn[("Key exchange (%s) of lower strength than certificate key"):format(text)] = true
      end
      strength = math.min(strength or bits, bits)
    end
    if info.rsa and info.rsa.exponent == 1 then
      strength = 0
      warn["Certificate RSA exponent is 1, score capped at F"] = true
    end
  end
  return strength, text
end

-- 0..1, or "unknown": 43% key exchange, 57% cipher key size.
local function score(kex_strength, size)
  if not kex_strength or not size then return "unknown" end
  if kex_strength <= 0 or size <= 0 then return 0 end
  local k
  if kex_strength >= 4096 then k = 1.0
  elseif kex_strength >= 2048 then k = 0.9
  elseif kex_strength >= 1024 then k = 0.8
  elseif kex_strength >= 512 then k = 0.4
  else k = 0.2 end
  local c
  if size >= 256 then c = 1.0
  elseif size >= 128 then c = 0.8
  else c = 0.2 end
  return 0.43 * k + 0.57 * c
end

local GRADES = {{0.80, "A"}, {0.65, "B"}, {0.50, "C"}, {0.35, "D"}, {0.20, "E"}}

local function grade(s)
  if type(s) ~= "number" then return "unknown" end
  for _, g in ipairs(GRADES) do
    if s >= g[1] then return g[2] end
  end
  return "F"
end

-- Notes what an accepted suite implies: warnings, forward secrecy, its grade.
local function assess(protocol, name, handshake, server_hello, found)
  local info = tls.cipher_info(name)
  local warn = found.warnings
  if info.hash == "MD5" then
    warn["Ciphersuite uses MD5 for message integrity"] = true
  end
  if info.mode == "CBC" and info.block_size <= 64 then
    warn[("64-bit block cipher %s vulnerable to SWEET32 attack"):format(info.cipher)] = true
  end
  if protocol == "SSLv3" and info.mode == "CBC" then
    warn["CBC-mode cipher in SSLv3 (CVE-2014-3566)"] = true
  elseif info.cipher == "RC4" then
    warn["Broken cipher RC4 is deprecated by RFC 7465"] = true
  end
  if protocol == "TLSv1.3" and not info.tls13ok then
    warn["Non-TLSv1.3 ciphersuite chosen for TLSv1.3"] = true
  end
  local kex = tls.KEX_ALGORITHMS[info.kex]
  if kex.pfs then found.pfs = true end
  local strength, text = key_exchange(protocol, kex, info.kex, handshake, server_hello, warn)
  found.extra[name] = text
  found.grade[name] = grade(score(strength, info.size))
end

-- Offers `group` until the server refuses; returns the suites it picked, in order, and
-- false (refused ciphers), true (the protocol works) or nil (the protocol is refused).
local function probe(host, port, protocol, group, found)
  local params = hello_params(host, protocol)
  local picked, works = {}, false
  while #group > 0 do
    params.ciphers = group
    local got = exchange(host, port, params)
    if not got then return picked, nil end
    local hello = find_message(got.handshake, "type", "server_hello")
    if not hello then
      local alert = got.alert
      if alert then
        if not tls.record_version_ok(alert.protocol, protocol) then
          if find_message(alert, "description", "protocol_version") then works = nil end
        elseif find_message(alert, "description", "handshake_failure")
            or find_message(alert, "description", "insufficient_security") then
          works = true
        end
      end
      break
    end
    if hello.protocol ~= protocol then
      -- some servers answer with another version when the suite exists there only
      if not remove_value(group, hello.cipher) then works = works or nil end
      break
    end
    works = true
    local name = hello.cipher
    if remove_value(group, name) then
      picked[#picked + 1] = name
      if found then assess(protocol, name, got.handshake, hello, found) end
    else
      -- a server that reads only the low byte of each suite answers one we never offered
      local before = #group
      local kept = {}
      for _, c in ipairs(group) do
        if tls.CIPHERS[c] <= 255 then kept[#kept + 1] = c end
      end
      group = kept
      if #group == before then break end
    end
  end
  return picked, works
end

local function groups_of(list, size)
  local out = {}
  for i = 1, #list, size do
    local g = {}
    for j = i, math.min(i + size - 1, #list) do g[#g + 1] = list[j] end
    out[#out + 1] = g
  end
  return out
end

-- The suite the server picks from {a, b}, in this order.
local function pick(host, port, protocol, a, b)
  local params = hello_params(host, protocol)
  params.ciphers = {a, b}
  local got = exchange(host, port, params)
  local hello = got and find_message(got.handshake, "type", "server_hello")
  if hello then return hello.cipher end
  return nil, ("Error when comparing %s and %s"):format(a, b)
end

local function preference(host, port, protocol, ciphers)
  if #ciphers < 2 then return "indeterminate", "Too few ciphers supported" end
  local a, b = ciphers[1], ciphers[2]
  local one, err = pick(host, port, protocol, a, b)
  if not one then return nil, err end
  local two
  two, err = pick(host, port, protocol, b, a)
  if not two then return nil, err end
  return one == two and "server" or "client"
end

-- The server's order: offer what is left, take out what it picks.
local function server_order(host, port, protocol, ciphers)
  local left, order = {}, {}
  for i, c in ipairs(ciphers) do left[i] = c end
  local params = hello_params(host, protocol)
  while #left > 0 do
    params.ciphers = left
    local got = exchange(host, port, params)
    local hello = got and find_message(got.handshake, "type", "server_hello")
    if not (hello and remove_value(left, hello.cipher)) then return nil, "Network error" end
    order[#order + 1] = hello.cipher
  end
  return order
end

local function compressors_of(host, port, protocol, ciphers)
  local params = hello_params(host, protocol)
  params.ciphers = ciphers
  local offer, out = sorted_names(tls.COMPRESSORS), {}
  while #offer > 0 do
    params.compressors = offer
    local got = exchange(host, port, params)
    local hello = got and find_message(got.handshake, "type", "server_hello")
    if not hello then
      -- a server may choke on several methods: NULL alone must do
      if got and got.alert and #offer > 1
          and find_message(got.alert, "description", "handshake_failure") then
        offer = {"NULL"}
      else
        break
      end
    elseif hello.protocol ~= protocol then
      break
    else
      out[#out + 1] = hello.compressor
      remove_value(offer, hello.compressor)
      -- NULL is offered by every client and picked last
      if hello.compressor == "NULL" then break end
    end
  end
  table.sort(out)
  return out
end

local function cipher_entry(name, kex_info, strength)
  -- nmap's XML lists these fields in Lua's hash order, which changes from run to run
  -- (Lua 5.4 seeds string hashes per state); ours is fixed: alphabetical
  return setmetatable({kex_info = kex_info, name = name, strength = strength}, {
    __tostring = function(t)
      if t.kex_info then
        return ("%s (%s) - %s"):format(t.name, t.kex_info, t.strength)
      end
      return ("%s - %s"):format(t.name, t.strength)
    end,
  })
end

local function enumerate(host, port, protocol)
  local candidates = {}
  for _, name in ipairs(sorted_names(tls.CIPHERS)) do
    local info = tls.cipher_info(name)
    if protocol == "TLSv1.3" and info.tls13ok or protocol ~= "TLSv1.3" and not info.tls13only then
      candidates[#candidates + 1] = name
    end
  end
  local found = {warnings = {}, extra = {}, grade = {}}
  local ciphers = {}
  for _, group in ipairs(groups_of(candidates, GROUP_SIZE)) do
    local picked, works = probe(host, port, protocol, group, found)
    if works == nil then return nil end
    for _, name in ipairs(picked) do ciphers[#ciphers + 1] = name end
  end
  if #ciphers == 0 then return nil end
  if not found.pfs then found.warnings["Forward Secrecy not supported by any cipher"] = true end

  local out = stdnse.output_table()
  -- RFC 8446 4.1.2: a TLS 1.3 ClientHello offers only the null compression method
  local compressors
  if protocol ~= "TLSv1.3" then
    for _, group in ipairs(groups_of(ciphers, GROUP_SIZE - 1)) do
      compressors = compressors_of(host, port, protocol, group)
      if #compressors > 0 then break end
    end
  end
  local pref, pref_err = preference(host, port, protocol, ciphers)
  local ordered
  if pref == "server" then
    ordered, pref_err = server_order(host, port, protocol, ciphers)
  end
  if not ordered then
    ordered = ciphers
    table.sort(ordered)
  end
  local list = {}
  for i, name in ipairs(ordered) do
    list[i] = cipher_entry(name, found.extra[name], found.grade[name])
  end
  out.ciphers = list
  out.compressors = compressors
  out["cipher preference"] = pref
  out["cipher preference error"] = pref_err
  if next(found.warnings) then out.warnings = sorted_names(found.warnings) end
  return out
end

action = function(host, port)
  -- one thread per version, as the versions do not depend on each other: a server that
  -- never answers costs one timeout, not five
  local found = {}
  local condvar = nmap.condvar(found)
  local function worker(protocol)
    -- a malformed answer makes the tls library raise an error: that version is dropped,
    -- the others are still tried
    local ok, r = pcall(enumerate, host, port, protocol)
    if not ok then
      stdnse.debug1("%s: %s", protocol, r)
    elseif r then
      found[protocol] = r
    end
    condvar "signal"
  end
  local threads = {}
  for _, protocol in ipairs(VERSIONS) do
    threads[#threads + 1] = stdnse.new_thread(worker, protocol)
  end
  while true do
    local running = false
    for _, co in ipairs(threads) do
      if coroutine.status(co) ~= "dead" then running = true end
    end
    if not running then break end
    condvar "wait"
  end

  local results = stdnse.output_table()
  local least
  for _, protocol in ipairs(VERSIONS) do
    local r = found[protocol]
    if r then
      results[protocol] = r
      for _, c in ipairs(r.ciphers) do
        -- grades are letters: the weakest is the greatest string
        if not least or c.strength > least then least = c.strength end
      end
    end
  end
  if not least then return nil end
  results["least strength"] = least
  return results
end
