"""Lua 5.4 source -> Python module (see DESIGN.md "Transpiler shape")."""
