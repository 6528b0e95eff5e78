"""Renderings of service results: JSON, terminal tables, HTML."""
