description = "structured and text"
categories = {"safe"}
prerule = function() return true end
action = function() return {a = "b"}, "custom text" end
