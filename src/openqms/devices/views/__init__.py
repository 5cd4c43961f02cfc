"""The register's pages (register.py) and the families with their files (files.py)."""
