"""Seed importer: read saved article pages (plain text) and turn them into structured data.

`read` and `parse` are pure Python (no Django, no database) so they can be tested and
benchmarked in isolation; storing the parsed pages is a separate layer.
"""
