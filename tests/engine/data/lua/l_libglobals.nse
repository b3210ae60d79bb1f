description = "which libraries are globals"
categories = {"safe"}
prerule = function() return true end
action = function()
  local o = {}
  for _, n in ipairs({"nmap", "lpeg", "pcre", "lfs", "openssl", "zlib", "libssh2", "bin", "stdnse", "comm", "strict", "debug", "io", "os", "package", "require", "utf8", "unpack", "loadstring", "setfenv", "newproxy", "module"}) do
    o[#o + 1] = n .. "=" .. type(rawget(_G, n))
  end
  return table.concat(o, " ")
end
