#!/usr/bin/env python3
"""Benchmark edgelint on a large real tree: ten popular packages from the package index.

The standard library flatters a linter: it is one tree of Python files. Real project trees hold
big modules, deep packages and many files that are not Python (translations, JSON, data). This
script installs a pinned set of packages (their wheels' files only, no dependencies) into
target/real-tree/ once, then runs bench/run.py on that folder with the arguments it was given:

    python3 bench/real_tree.py [--runs N] [--threads N] [--json]

The folder is about 650 MB: 23,000 files, of which 8,700 are Python (4.1 million lines).
"""

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TREE = REPO / "target" / "real-tree"
PACKAGES = [
    "django==5.2.8",
    "sympy==1.14.0",
    "pandas==2.3.3",
    "scipy==1.16.3",
    "matplotlib==3.10.7",
    "networkx==3.6.1",
    "sqlalchemy==2.0.44",
    "botocore==1.40.70",
    "numpy==2.2.6",
    "transformers==4.57.1",
]


def main():
    marker = TREE / ".installed"
    wanted = "\n".join(PACKAGES)
    if not marker.exists() or marker.read_text() != wanted:
        subprocess.run(
            [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
             "--upgrade", "--target", str(TREE), *PACKAGES],
            check=True,
        )
        marker.write_text(wanted)
    run = [sys.executable, str(REPO / "bench" / "run.py"), str(TREE), *sys.argv[1:]]
    sys.exit(subprocess.run(run).returncode)


if __name__ == "__main__":
    main()
