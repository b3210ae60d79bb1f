local datetime = require "datetime"
local nmap = require "nmap"
local outlib = require "outlib"
local shortport = require "shortport"
local sslcert = require "sslcert"
local stdnse = require "stdnse"
local string = require "string"
local table = require "table"
local tls = require "tls"
local unicode = require "unicode"
local openssl = require "openssl"

description = [[
Shows the certificate of a TLS service (directly, or after STARTTLS for the protocols
sslcert knows): subject, alternative names, issuer, key, signature algorithm, validity
and digests, more with each -v.
]]

---
-- @usage nmap -p 443 --script ssl-cert <target>
-- @output
-- 443/tcp open  https
-- | ssl-cert: Subject: commonName=www.example.com/organizationName=Example/countryName=US
-- | Subject Alternative Name: DNS:www.example.com, DNS:example.com
-- | Issuer: commonName=Example CA/organizationName=Example/countryName=US
-- | Public Key type: rsa
-- | Public Key bits: 2048
-- | Signature Algorithm: sha256WithRSAEncryption
-- | Not valid before: 2024-01-02T03:04:05
-- | Not valid after:  2034-01-02T03:04:05
-- | MD5:   0123 4567 89ab cdef 0123 4567 89ab cdef
-- |_SHA-1: 0123 4567 89ab cdef 0123 4567 89ab cdef 0123 4567

author = "nse project"
license = "Same as Nmap--See https://nmap.org/book/man-legal.html"
categories = {"default", "safe", "discovery"}

portrule = function(host, port)
  return shortport.ssl(host, port) or sslcert.isPortSupported(port)
    or sslcert.getPrepareTLSWithoutReconnect(port)
end

-- Name fields shown at normal verbosity, in this order; -vv shows the others too.
local MAIN_FIELDS = {"commonName", "organizationName", "stateOrProvinceName", "countryName"}

local function is_main(k)
  for _, f in ipairs(MAIN_FIELDS) do if f == k then return true end end
  return false
end

-- BMPString values arrive as UTF-16: show them as UTF-8 (either byte order).
local function text(s)
  if #s < 2 or #s % 2 == 1 then return s end
  local b1, b2 = s:byte(1, 2)
  if b1 > 0 and b2 == 0 then
    return unicode.transcode(s, unicode.utf16_dec, unicode.utf8_enc, false, nil)
  elseif b1 == 0 and b2 > 0 then
    return unicode.transcode(s, unicode.utf16_dec, unicode.utf8_enc, true, nil)
  end
  return s
end

local function name_string(name)
  if not name then return nil end
  local parts = {}
  for _, k in ipairs(MAIN_FIELDS) do
    if name[k] then parts[#parts + 1] = ("%s=%s"):format(k, text(name[k]) or "") end
  end
  if nmap.verbosity() > 1 then
    for k, v in pairs(name) do
      if not is_main(k) then
        if type(k) == "table" then k = table.concat(k, ".") end
        parts[#parts + 1] = ("%s=%s"):format(k, text(v) or "")
      end
    end
  end
  return table.concat(parts, "/")
end

local function name_table(name)
  local t = {}
  for k, v in pairs(name) do
    if type(k) == "table" then k = table.concat(k, ".") end
    t[k] = v
  end
  return outlib.sorted_by_key(t)
end

local function date_text(d)
  if not d then return "MISSING" end
  if type(d) == "string" then return ("Can't parse; string is \"%s\""):format(d) end
  return datetime.format_timestamp(d)
end

local function structured(cert)
  local o = stdnse.output_table()
  o.subject = name_table(cert.subject)
  o.issuer = name_table(cert.issuer)
  o.pubkey = stdnse.output_table()
  o.pubkey.type = cert.pubkey.type
  o.pubkey.bits = cert.pubkey.bits
  if cert.pubkey.type == "rsa" then
    o.pubkey.modulus = openssl.bignum_bn2hex(cert.pubkey.modulus)
    o.pubkey.exponent = openssl.bignum_bn2dec(cert.pubkey.exponent)
  elseif cert.pubkey.type == "ec" then
    local params = stdnse.output_table()
    params.ec_curve_type = cert.pubkey.ecdhparams.curve_params.ec_curve_type
    params.curve = cert.pubkey.ecdhparams.curve_params.curve
    o.pubkey.ecdhparams = {curve_params = params}
  end
  if cert.extensions and #cert.extensions > 0 then
    o.extensions = {}
    for i, e in ipairs(cert.extensions) do
      local x = stdnse.output_table()
      x.name, x.value, x.critical = e.name, e.value, e.critical
      o.extensions[i] = x
    end
  end
  o.sig_algo = cert.sig_algorithm
  o.validity = stdnse.output_table()
  for _, k in ipairs({"notBefore", "notAfter"}) do
    local v = cert.validity[k]
    o.validity[k] = type(v) == "string" and v or datetime.format_timestamp(v)
  end
  o.md5 = stdnse.tohex(cert:digest("md5"))
  o.sha1 = stdnse.tohex(cert:digest("sha1"))
  o.pem = cert.pem
  return o
end

local function lines(cert)
  local v = nmap.verbosity()
  local out = {"Subject: " .. name_string(cert.subject)}
  for _, e in ipairs(cert.extensions or {}) do
    if e.name == "X509v3 Subject Alternative Name" then
      out[#out + 1] = "Subject Alternative Name: " .. e.value
      break
    end
  end
  if v > 0 then
    out[#out + 1] = "Issuer: " .. name_string(cert.issuer)
    out[#out + 1] = "Public Key type: " .. cert.pubkey.type
    out[#out + 1] = "Public Key bits: " .. cert.pubkey.bits
    out[#out + 1] = "Signature Algorithm: " .. cert.sig_algorithm
  end
  out[#out + 1] = "Not valid before: " .. date_text(cert.validity.notBefore)
  out[#out + 1] = "Not valid after:  " .. date_text(cert.validity.notAfter)
  if v > 0 then
    out[#out + 1] = "MD5:   " .. stdnse.tohex(cert:digest("md5"), {separator = " ", group = 4})
    out[#out + 1] = "SHA-1: " .. stdnse.tohex(cert:digest("sha1"), {separator = " ", group = 4})
  end
  if v > 1 then out[#out + 1] = cert.pem end
  return table.concat(out, "\n")
end

action = function(host, port)
  host.targetname = tls.servername(host)
  local ok, cert = sslcert.getCertificate(host, port)
  if not ok then
    stdnse.debug1("getCertificate error: %s", cert or "unknown")
    return nil
  end
  return structured(cert), lines(cert)
end
