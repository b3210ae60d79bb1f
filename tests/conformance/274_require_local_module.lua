-- require finds ./NAME.lua through package.path, caches it in package.loaded
print(select("#", require("helper_mod_274")))
local m, extra = require("helper_mod_274")
print(m.greet("x"), m.name, m.path, extra, m.loads)
print(require("helper_mod_274") == m, package.loaded.helper_mod_274 == m, helper_loads)
print(type(package.path), type(package.cpath), type(package.loaded), type(package.preload), type(package.searchers))
package.preload.virtual = function(name, data) return {name = name, data = data} end
local v = require("virtual")
print(v.name, v.data)
local ok, err = pcall(require, "surely_missing_module")
print(ok, (err:match("^[^\n]*")))
print(package.loaded.string == string, package.loaded._G == _G, package.loaded.coroutine == coroutine)
package.loaded.helper_mod_274 = nil
local again = require("helper_mod_274")
print(again == m, again.loads)
package.loaded.fake = "already loaded value"
print(require("fake"))
