"""nse.output (see ../shared/DESIGN.md)."""
