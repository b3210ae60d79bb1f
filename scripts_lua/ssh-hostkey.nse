local base64 = require "base64"
local comm = require "comm"
local ipOps = require "ipOps"
local nmap = require "nmap"
local openssl = require "openssl"
local shortport = require "shortport"
local ssh1 = require "ssh1"
local ssh2 = require "ssh2"
local stdnse = require "stdnse"
local string = require "string"
local table = require "table"

description = [[
Shows the host keys of an SSH server (SSH-1 RSA and SSH-2 DSA, RSA, ECDSA and Ed25519
keys), as MD5 fingerprints by default. With several hosts, the post-scan phase lists
keys that more than one host uses. A known_hosts file can be checked against the keys.
]]

---
-- @usage nmap -p 22 --script ssh-hostkey --script-args ssh_hostkey=full <target>
-- @args ssh_hostkey how to show each key: any of md5 (hex), sha256, bubble, visual,
--       full, all (default md5)
-- @args ssh-hostkey.known-hosts a known_hosts file to compare the keys with (the
--       default one when given without a value)
-- @output
-- 22/tcp open  ssh
-- | ssh-hostkey:
-- |   3072 aa:bb:cc:dd:ee:ff:00:11:22:33:44:55:66:77:88:99 (RSA)
-- |_  256 00:11:22:33:44:55:66:77:88:99:aa:bb:cc:dd:ee:ff (ED25519)

author = "nse project"
license = "Same as Nmap--See https://nmap.org/book/man-legal.html"
categories = {"safe", "default", "discovery"}

portrule = shortport.ssh

postrule = function() return nmap.registry.sshhostkey ~= nil end

local KEY_TYPES = {"ssh-dss", "ssh-rsa", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384",
  "ecdsa-sha2-nistp521", "ssh-ed25519"}

local FORMATS = {md5 = 1, hex = 1, sha256 = 2, bubble = 4, visual = 8, full = 16,
  all = 0xffff}

local function remember(host, key)
  local reg = nmap.registry
  reg.sshhostkey = reg.sshhostkey or {}
  reg.sshhostkey[host.ip] = reg.sshhostkey[host.ip] or {}
  table.insert(reg.sshhostkey[host.ip], key)
end

-- known_hosts comparison --------------------------------------------------------------

local line_mt = {__tostring = function(m) return ("L%d: %s"):format(m.lnumber, m.name) end}

local function compare_known_hosts(host, keys, entries)
  local found = {}
  for _, k in ipairs(keys) do found[#found + 1] = k.full_key end
  local function is_found(key)
    for _, k in ipairs(found) do if k == key then return true end end
    return false
  end
  local name = host.name ~= "" and host.name or nil
  local names = {name, host.ip, name and (name .. "," .. host.ip) or nil}
  local listed, same_key = {}, {}
  for _, e in ipairs(entries) do
    local w = e.entry
    if #w >= 3 then
      local key = w[2] .. " " .. w[3]
      local matched = false
      local salt, hash = w[1]:match("^|1|([^|]+)|([^|]+)$")
      for _, n in ipairs(names) do
        if salt then
          -- hashed host name (OpenSSH HashKnownHosts): base64(HMAC-SHA1(salt, name))
          matched = base64.enc(openssl.hmac("SHA1", base64.dec(salt), n)) == hash
        else
          matched = w[1] == n
        end
        if matched then
          listed[#listed + 1] = setmetatable({name = n, key = key, lnumber = e.linenumber},
            line_mt)
          break
        end
      end
      if not matched and is_found(key) then
        same_key[#same_key + 1] = setmetatable({name = salt and "<unknown>" or w[1],
          key = key, lnumber = e.linenumber}, line_mt)
      end
    end
  end
  if #listed == 0 then
    return "No entry for scanned host found in known_hosts file."
  end
  local good, wrong = {}, {}
  for _, m in ipairs(listed) do
    if is_found(m.key) then good[#good + 1] = m else wrong[#wrong + 1] = m end
  end
  for _, m in ipairs(same_key) do good[#good + 1] = m end
  local out = stdnse.output_table()
  if #good > 0 then out["GOOD Matches in known_hosts file"] = good end
  if #wrong > 0 then out["WRONG Matches in known_hosts file"] = wrong end
  return out
end

-- actions ---------------------------------------------------------------------------

local function port_action(host, port)
  if port.version.name_confidence < 8 or port.version.name ~= "ssh" then
    local _, banner = comm.opencon(host, port, nil, {recv_before = true})
    if type(banner) ~= "string" or not banner:match("^SSH") then
      stdnse.debug1("not an SSH server")
      return nil
    end
  end
  local mask = 0
  for word in (nmap.registry.args.ssh_hostkey or "md5"):gmatch("%w+") do
    mask = mask | (FORMATS[word] or 0)
  end
  local keys = {}
  keys[#keys + 1] = ssh1.fetch_host_key(host, port)
  for _, kt in ipairs(KEY_TYPES) do
    keys[#keys + 1] = ssh2.fetch_host_key(host, port, kt)
  end
  if #keys == 0 then return nil end

  local out = {}
  for _, key in ipairs(keys) do
    remember(host, key)
    local lines = {}
    if mask & FORMATS.md5 ~= 0 then
      lines[#lines + 1] = ssh1.fingerprint_hex(key.fingerprint, key.algorithm, key.bits)
    end
    if mask & FORMATS.sha256 ~= 0 then
      lines[#lines + 1] = ssh1.fingerprint_base64(key.fp_sha256, "SHA256", key.algorithm,
        key.bits)
    end
    if mask & FORMATS.bubble ~= 0 then
      lines[#lines + 1] = ssh1.fingerprint_bubblebabble(openssl.sha1(key.fp_input),
        key.algorithm, key.bits)
    end
    if mask & FORMATS.visual ~= 0 then
      lines[#lines + 1] = ssh1.fingerprint_visual(key.fingerprint, key.algorithm, key.bits)
    end
    if nmap.verbosity() > 1 or mask & FORMATS.full ~= 0 then
      lines[#lines + 1] = key.full_key
    end
    out[#out + 1] = setmetatable({fingerprint = stdnse.tohex(key.fingerprint),
      type = key.key_type, bits = key.bits, key = key.key},
      {__tostring = function() return table.concat(lines, "\n") end})
  end

  local known = stdnse.get_script_args("ssh-hostkey.known-hosts")
  if known then
    local entries = ssh1.parse_known_hosts_file(known)
    if entries then
      out["Key comparison with known_hosts file"] = compare_known_hosts(host, keys, entries)
    end
  end
  return out
end

-- Keys seen on more than one host.
local function post_action()
  local users, info, order = {}, {}, {}
  for ip, keys in pairs(nmap.registry.sshhostkey) do
    for _, key in ipairs(keys) do
      local fp = ssh1.fingerprint_hex(key.fingerprint, key.algorithm, key.bits)
      if not users[fp] then
        users[fp] = {}
        order[#order + 1] = fp
        info[fp] = {fingerprint = stdnse.tohex(key.fingerprint, {separator = ":"}),
          type = key.key_type, bits = key.bits}
      end
      local seen = false
      for _, x in ipairs(users[fp]) do if x == ip then seen = true end end
      if not seen then table.insert(users[fp], ip) end
    end
  end
  table.sort(order)
  local text, tab = {}, {}
  for _, fp in ipairs(order) do
    local ips = users[fp]
    if #ips > 1 then
      table.sort(ips, function(a, b) return ipOps.compare_ip(a, "lt", b) end)
      text[#text + 1] = "Key " .. fp .. " used by:\n  " .. table.concat(ips, "\n  ")
      tab[#tab + 1] = {key = info[fp], hosts = ips}
    end
  end
  if #text > 0 then
    return tab, "Possible duplicate hosts\n" .. table.concat(text, "\n")
  end
end

action = function(...)
  if SCRIPT_TYPE == "postrule" then return post_action() end
  return port_action(...)
end
