"""Print the release notes of a version: its section of CHANGELOG.md.

    python3 release/notes.py 0.1.0     the notes of 0.1.0
    python3 release/notes.py v0.1.0    the same, from a tag; the tag must name the version in
                                       Cargo.toml, so that a release cannot ship other code

Exits 1 with a message when the changelog has no section for the version, or its section is
empty, or the tag and Cargo.toml disagree.
"""

import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def section(changelog: str, version: str) -> str:
    """The text under `## VERSION` (a date or words may follow it), up to the next `## `."""
    heading = re.compile(rf"^## {re.escape(version)}(?:\s.*)?$", re.MULTILINE)
    found = heading.search(changelog)
    if not found:
        return ""
    rest = changelog[found.end() :]
    following = re.search(r"^## ", rest, re.MULTILINE)
    return rest[: following.start() if following else len(rest)].strip()


def main(argument: str) -> int:
    version = argument.removeprefix("v")
    if argument.startswith("v"):
        cargo = tomllib.loads((ROOT / "Cargo.toml").read_text(encoding="utf-8"))
        built = cargo["workspace"]["package"]["version"]
        if built != version:
            print(f"error: the tag {argument} is not the version in Cargo.toml ({built})", file=sys.stderr)
            return 1
    notes = section((ROOT / "CHANGELOG.md").read_text(encoding="utf-8"), version)
    if not notes:
        print(f"error: CHANGELOG.md has no notes under `## {version}`", file=sys.stderr)
        return 1
    print(notes)
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1]))
