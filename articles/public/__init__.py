"""The public site: the pages, feeds and sitemaps readers and crawlers see."""
