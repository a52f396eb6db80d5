"""Measured memory, end to end: `gateway.py` wastes memory in three ways edgelint detects (a list
built for `sum()` over a whole file, EL201; a whole file split to use one part, EL107, whose
size edgelint cannot know statically; a whole log sorted to read its newest line, EL204). It is
profiled with `edgelint profile`, with memray and with Scalene, and each profile is joined with
the findings.

Run by tests/profile.rs, which installs pytest, memray and Scalene and gives EDGELINT_BIN.
"""

import json
import os
import shutil
import subprocess
import sys
import tracemalloc
from pathlib import Path

import pytest

EDGELINT = os.environ["EDGELINT_BIN"]
GATEWAY = Path(__file__).with_name("gateway.py")
MIB = 1 << 20
# The lines of gateway.py with findings.
CHECKSUM, FIRST_FRAME, NEWEST_EVENT = 12, 16, 21


def edgelint(*args, cwd, check_status=None):
    done = subprocess.run([EDGELINT, *args], cwd=cwd, capture_output=True, text=True)
    if check_status is not None:
        assert done.returncode == check_status, done.stdout + done.stderr
    return done


def findings(project, *args):
    """The findings in gateway.py, by (line, code)."""
    report = edgelint("check", "--no-cache", "--output-format", "json", *args, "gateway.py", cwd=project).stdout
    return {(finding["location"]["row"], finding["code"]): finding for finding in json.loads(report)}


@pytest.fixture
def project(tmp_path):
    """gateway.py with its input: 8 MiB of frames and 3.5 MiB of events."""
    shutil.copy(GATEWAY, tmp_path / "gateway.py")
    (tmp_path / "frames.bin").write_bytes((b"x" * 63 + b"\n") * (8 * MIB // 64))
    (tmp_path / "events.log").write_text(("sensor reading ok " * 6 + "\n") * (4 * MIB // 128))
    return tmp_path


def profile(project, *extra):
    edgelint(
        "profile", "-o", "profile.json", *extra, "--", sys.executable, "gateway.py", "frames.bin", "events.log",
        cwd=project, check_status=0,
    )
    return project / "profile.json"


def test_profiled_findings_carry_their_bytes_rank_first_and_the_unknown_size_one_is_promoted(project):
    written = json.loads(profile(project).read_text())
    assert (written["schema"], written["version"], written["source"]) == ("edgelint-profile", 1, "tracemalloc")
    assert {line["file"] for line in written["lines"]} == {"gateway.py"}

    without = findings(project)
    assert set(without) == {(CHECKSUM, "EL201"), (NEWEST_EVENT, "EL204"), (NEWEST_EVENT, "EL201")}
    # EL107 is unproven without the profile: the size of `payload` is not known statically.
    assert "unproven" in findings(project, "--pedantic")[(FIRST_FRAME, "EL107")]

    measured = findings(project, "--profile", "profile.json")
    assert set(measured) == set(without) | {(FIRST_FRAME, "EL107")}
    promoted = measured[(FIRST_FRAME, "EL107")]
    assert "unproven" not in promoted
    # The list of every frame's part: 131,072 bytes objects and the list holding them.
    assert promoted["measured"]["peak_bytes"] > 10 * MIB, promoted
    # A list of 8 Mi references.
    assert measured[(CHECKSUM, "EL201")]["measured"]["peak_bytes"] > 60 * MIB
    assert measured[(NEWEST_EVENT, "EL204")]["measured"]["peak_bytes"] > 3 * MIB

    full = edgelint("check", "--no-cache", "--profile", "profile.json", "gateway.py", cwd=project, check_status=1)
    assert "= note: measured: " in full.stdout and " live at peak in the profiled run (gateway.py:16)" in full.stdout
    table = full.stderr.split("Measured in the profiled run")[1].splitlines()[1:4]
    assert [row.split()[2:4] for row in table] == [
        [f"gateway.py:{CHECKSUM}:16", "EL201"],
        [f"gateway.py:{FIRST_FRAME}:12", "EL107"],
        [f"gateway.py:{NEWEST_EVENT}:16", "EL204"],
    ], full.stderr
    concise = edgelint("check", "--no-cache", "--profile", "profile.json", "--output-format", "concise", "gateway.py", cwd=project)
    assert "[measured: " in concise.stdout and "[unproven" not in concise.stdout
    sarif = json.loads(edgelint("check", "--no-cache", "--profile", "profile.json", "--output-format", "sarif", "gateway.py", cwd=project).stdout)
    assert all("measured" in result["properties"] for result in sarif["runs"][0]["results"])


def test_a_threshold_above_what_was_measured_shows_nothing_and_promotes_nothing(project):
    profile(project)
    (project / "edgelint.toml").write_text('profile = "profile.json"\nprofile-threshold = "100MiB"\n')
    high = findings(project)
    assert (FIRST_FRAME, "EL107") not in high
    assert all("measured" not in finding for finding in high.values())
    (project / "edgelint.toml").write_text('profile = "profile.json"\n')
    assert "measured" in findings(project)[(FIRST_FRAME, "EL107")]


def test_a_profile_taken_in_another_checkout_matches_by_the_path_below_its_root(project, tmp_path_factory):
    elsewhere = tmp_path_factory.mktemp("container") / "app"
    shutil.copytree(project, elsewhere)
    profiled = profile(elsewhere)
    measured = findings(project, "--profile", str(profiled))
    assert measured[(FIRST_FRAME, "EL107")]["measured"]["peak_bytes"] > 10 * MIB


def test_memray_statistics_give_what_each_line_allocated(project):
    memray = Path(sys.executable).with_name("memray")
    subprocess.run([memray, "run", "-q", "-o", "run.bin", "gateway.py", "frames.bin", "events.log"], cwd=project, check=True, capture_output=True)
    subprocess.run([memray, "stats", "--json", "-n", "50", "-o", "stats.json", "run.bin"], cwd=project, check=True, capture_output=True)
    measured = findings(project, "--profile", "stats.json")
    checksum = measured[(CHECKSUM, "EL201")]["measured"]
    # memray counts what was allocated, not what was held at the peak.
    assert "peak_bytes" not in checksum and checksum["allocated_bytes"] > 60 * MIB
    assert measured[(FIRST_FRAME, "EL107")]["measured"]["allocated_bytes"] > MIB


def test_scalene_profiles_give_peaks_and_allocations_per_line(project):
    scalene = Path(sys.executable).with_name("scalene")
    done = subprocess.run([scalene, "run", "-o", "scalene.json", "gateway.py", "---", "frames.bin", "events.log"], cwd=project, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    measured = findings(project, "--profile", "scalene.json")
    checksum = measured[(CHECKSUM, "EL201")]["measured"]
    assert checksum["peak_bytes"] > 30 * MIB and checksum["allocated_bytes"] > 30 * MIB


def test_a_tracemalloc_snapshot_is_converted_to_a_profile(project):
    (project / "snapshotting.py").write_text(
        "import runpy, sys, tracemalloc\n"
        "tracemalloc.start(8)\n"
        "sys.argv = ['gateway.py', 'frames.bin', 'events.log']\n"
        "frames = open('frames.bin', 'rb').read().split(b'\\n')\n"
        "tracemalloc.take_snapshot().dump('snapshot.pickle')\n"
    )
    subprocess.run([sys.executable, "snapshotting.py"], cwd=project, check=True)
    edgelint("profile", "--convert", "snapshot.pickle", "-o", "converted.json", cwd=project, check_status=0)
    converted = json.loads((project / "converted.json").read_text())
    assert converted["source"] == "tracemalloc-snapshot"
    [line] = [line for line in converted["lines"] if line["file"] == "snapshotting.py" and line["line"] == 4]
    assert line["peak_bytes"] > 10 * MIB


def test_a_profile_that_cannot_be_read_fails_the_run_before_linting(project):
    (project / "broken.json").write_text("{not json")
    done = edgelint("check", "--profile", "broken.json", "gateway.py", cwd=project, check_status=2)
    assert "cannot use the profile broken.json" in done.stderr and done.stdout == ""
    (project / "other.json").write_text('{"some": "thing"}')
    done = edgelint("check", "--profile", "other.json", "gateway.py", cwd=project, check_status=2)
    assert "not a profile edgelint reads" in done.stderr


def test_only_python_programs_are_profiled_and_their_failure_is_reported(project):
    done = edgelint("profile", "--", "ls", cwd=project, check_status=2)
    assert "not a Python interpreter" in done.stderr
    (project / "failing.py").write_text("data = bytearray(4 << 20)\nraise SystemExit(3)\n")
    done = edgelint("profile", "-o", "failing.json", "--", sys.executable, "failing.py", cwd=project, check_status=2)
    assert "the program failed" in done.stderr
    [line] = json.loads((project / "failing.json").read_text())["lines"][:1]
    assert (line["file"], line["line"]) == ("failing.py", 1) and line["peak_bytes"] >= 4 << 20


def test_a_profile_that_names_notebook_cells_measures_their_findings(tmp_path):
    cells = [
        {"cell_type": "markdown", "metadata": {}, "source": ["# Frames"]},
        {"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [],
         "source": ["def first_frame(payload):\n", "    return payload.split(b'\\n')[0]\n"]},
    ]
    notebook = {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    (tmp_path / "frames.ipynb").write_text(json.dumps(notebook))
    profile = {
        "schema": "edgelint-profile", "version": 1, "source": "tracemalloc",
        "lines": [{"file": "frames.ipynb", "cell": 2, "line": 2, "peak_bytes": 12 * MIB}],
    }
    (tmp_path / "cells.json").write_text(json.dumps(profile))
    report = edgelint("check", "--no-cache", "--output-format", "json", "--profile", "cells.json", "frames.ipynb", cwd=tmp_path).stdout
    [finding] = json.loads(report)
    assert (finding["code"], finding["cell"], finding["measured"]["peak_bytes"]) == ("EL107", 2, 12 * MIB)
    # Line 2 of another cell is another line.
    profile["lines"][0]["cell"] = 1
    (tmp_path / "cells.json").write_text(json.dumps(profile))
    report = edgelint("check", "--no-cache", "--output-format", "json", "--profile", "cells.json", "frames.ipynb", cwd=tmp_path).stdout
    assert json.loads(report) == []
