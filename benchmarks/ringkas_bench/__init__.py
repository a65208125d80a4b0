"""The parts of Ringkas's speed benchmark (``benchmarks/run.py`` is the entry point).

common: the article, forced lengths, timing; models: the full-size models (built with the
tests' builders); translation, summary, names: engine against baseline; vocab: restricted
output vocabularies; latency: what a user waits for, in fresh processes; report: targets and
the table.
"""
