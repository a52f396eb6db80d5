"""EL506 near misses: small slices of big sequences, in a module with no array library."""
import json


# --- Must not fire ---------------------------------------------------------------------------


# A slice of a list copies its elements: nothing is pinned.
def first_records(path):
    with open(path) as f:
        records = json.load(f)
    return records[:10]


# A slice of bytes read whole is a copy too.
def read_header(path):
    with open(path, "rb") as f:
        raw = f.read()
    return raw[:64]


# A slice of a str, stored on self.
class Banner:
    def __init__(self, path):
        with open(path) as f:
            text = f.read()
        self.title = text[:80]
