"""nse: the Nmap Scripting Engine reimplemented in Python."""

__version__ = "0.1.0"
