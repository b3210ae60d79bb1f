"""nse.engine (see ../shared/DESIGN.md)."""
