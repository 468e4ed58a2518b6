"""Embeds: the newest news about a place (or a Thema) as a small page for an iframe on a
municipality's own website. The only pages that other sites may frame."""
