"""Ringkas: a desktop reader that translates, summarises and indexes saved articles offline."""

__version__ = "0.1.0"
