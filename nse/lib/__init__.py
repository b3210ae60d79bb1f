"""nse.lib (see ../shared/DESIGN.md)."""
