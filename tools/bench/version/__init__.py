"""Version detection side by side with ``nmap -sV`` (see compare.py)."""
