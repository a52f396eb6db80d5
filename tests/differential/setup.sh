#!/usr/bin/env bash
# Creates the virtual environment the differential test generates its programs in,
# `target/differential-venv`, with pinned packages from the package index. Idempotent: a
# venv that already holds exactly these versions is reused without asking the index.
#
# Usage: tests/differential/setup.sh  (prints the venv's python on its last line)
set -euo pipefail

repository="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
venv="${EDGELINT_DIFFERENTIAL_VENV:-$repository/target/differential-venv}"
# hypothesis draws the programs; numpy is what the array rules (EL502, EL506) are about.
requirements=(hypothesis==6.170.15 numpy==2.2.6)

has_requirements() {
    "$venv/bin/python" - "${requirements[@]}" <<'PY'
import sys
from importlib.metadata import PackageNotFoundError, version

def installed(requirement):
    name, wanted = requirement.split("==")
    try:
        return version(name) == wanted
    except PackageNotFoundError:
        return False

sys.exit(0 if all(installed(r) for r in sys.argv[1:]) else 1)
PY
}

if [[ -x "$venv/bin/python" ]] && has_requirements; then
    echo "$venv/bin/python"
    exit 0
fi

python3 -m venv "$venv"
if ! "$venv/bin/python" -m pip install --quiet "${requirements[@]}"; then
    echo "error: could not install ${requirements[*]} from the package index into $venv;" \
        "the differential test needs them (is the index reachable?)" >&2
    exit 1
fi
has_requirements
echo "$venv/bin/python"
