description = "reading an undeclared global is an error"
categories = {"safe"}
prerule = function() return true end
action = function() return "x" .. tostring(not_declared_anywhere) end
