"""Helpers of benchmarks/traceability.py: the synthetic tree in each tool's format
(tree.py), the open-source baselines run in their own virtual environment
(baselines.py) and OpenQMS's side measured in-process (ours.py)."""
