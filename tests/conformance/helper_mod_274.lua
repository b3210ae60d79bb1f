-- a module for 274_require_local_module.lua (not a program of its own)
local M = {}
M.name, M.path = ...
M.loads = (rawget(_G, "helper_loads") or 0) + 1
helper_loads = M.loads
function M.greet(n) return "hello " .. n end
return M
