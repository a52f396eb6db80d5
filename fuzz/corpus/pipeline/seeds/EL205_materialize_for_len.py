"""EL205 materialize-for-len: marked lines must fire, all others must stay silent."""
import os
from pathlib import Path


# --- Must fire -------------------------------------------------------------------------------


def count_entries(path):
    # `len(list(it))`: an iterator listed whole only to be counted.
    return len(list(os.scandir(path)))  # error: EL205


def count_rows(reader):
    # `len(tuple(it))` on a CSV reader.
    return len(tuple(reader))  # error: EL205


def count_errors(lines):
    # `len([... for ...])` with a condition: a list built only for its length.
    return len([line for line in lines if "ERROR" in line])  # error: EL205


def count_ready(jobs):
    # `len([x for x in xs if x.ok])`.
    return len([job for job in jobs if job.ok])  # error: EL205


def count_lines(path):
    # `len(f.readlines())`: every line is kept to count them.
    with open(path) as handle:
        return len(handle.readlines())  # error: EL205


def count_words(text):
    # `len(s.split())`: a list of every word to count them.
    return len(text.split())  # error: EL205


def column_count(header):
    # `len(s.split(","))` in a CSV step.
    return len(header.split(","))  # error: EL205


def count_present(values):
    # `len(list(filter(pred, xs)))`.
    return len(list(filter(None, values)))  # error: EL205


def count_logs(log_dir: Path):
    # A generator from `Path.glob` listed for its length.
    return len(list(log_dir.glob("*.log")))  # error: EL205


def count_matches(pattern, text):
    # `re.finditer` yields matches lazily: listing them only to count them.
    return len(list(pattern.finditer(text)))  # error: EL205


def word_counts(first, second):
    # Two findings on one line.
    return len(first.split()), len(second.split())  # error: EL205, EL205


def ragged_rows(rows, expected):
    # In a comprehension: one list of fields per row, for its length.
    return [row for row in rows if len(row.split("\t")) != expected]  # error: EL205


def check_widths(lines, width):
    # In a nested loop, a list of fields per line.
    bad = 0
    for chunk in lines:
        for line in chunk:
            if len(line.split(",")) != width:  # error: EL205
                bad += 1
    return bad


def wait_for_quorum(cluster, needed):
    # In a `while` loop, written over several lines: the marker sits where `len(` starts.
    while len(  # error: EL205
        [node for node in cluster.nodes() if node.healthy]
    ) < needed:
        cluster.poll()


class Inbox:
    def __init__(self, messages, mailbox_file):
        self.messages = messages
        self.mailbox_file = mailbox_file

    def unread_count(self):
        # A method: a comprehension over an attribute, for its length.
        return len([m for m in self.messages if not m.read])  # error: EL205

    def line_count(self):
        # A method: `len` of the list of lines of a file held on an attribute.
        return len(self.mailbox_file.readlines())  # error: EL205


async def count_pending(queue):
    # An `async def`: the awaited batch is a fresh iterator, listed to count it.
    batch = await queue.drain()
    return len(list(batch))  # error: EL205


def report(events):
    # A CLI summary: one `len(tuple(...))` of a generator.
    print("warnings:", len(tuple(e for e in events if e.level == "warning")))  # error: EL205
