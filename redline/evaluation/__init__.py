"""Measure redline on annotated real articles: the corpus format and ``redline eval``."""
