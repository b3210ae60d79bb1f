-- a chunk for 286_dofile_loadfile.lua (not a program of its own)
local a, b = ...
counter_286 = (counter_286 or 0) + 1
return "from helper", counter_286, a, b, x_in_env
