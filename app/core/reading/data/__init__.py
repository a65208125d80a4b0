"""Data files of the reading package (the line classifier's model)."""
