"""Outer layer: tables, figures and the report. It formats results; it never re-derives them."""
