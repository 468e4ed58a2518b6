"""The page cache: whole public pages, keyed by the content version the database keeps."""
