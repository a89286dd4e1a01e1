"""Where the benchmark finds the project, its tools and its results."""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The environment's own bin directory: the bench runs with .venv/bin/python and starts its servers
# and tools from the same environment.
BIN = Path(sys.executable).parent
RESULTS_DIR = ROOT / "bench" / "results"
