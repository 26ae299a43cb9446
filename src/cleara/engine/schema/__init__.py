"""Semantic column types: the taxonomy, header understanding and column-type detection."""
