"""The network-namespace test lab (see lab.py)."""
