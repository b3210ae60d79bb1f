"""nse.scan (see ../shared/DESIGN.md)."""
