"""EL503 near misses: readers named like pandas' in a module without pandas; nothing fires."""
import csv


class _Tables:
    """A stand-in module object with pandas-like reader names."""

    @staticmethod
    def read_csv(path):
        with open(path, newline="") as f:
            return list(csv.DictReader(f))

    @staticmethod
    def read_json(path):
        import json

        with open(path) as f:
            return json.load(f)


pd = _Tables()


def read_csv(path):
    """A module function named like pandas'."""
    return pd.read_csv(path)


# --- Must not fire ---------------------------------------------------------------------------


# The stand-in reader over a sensor log.
def sensor_rows(path):
    return pd.read_csv(path)


# The module's own `read_csv`.
def inventory(path):
    return read_csv(path)


# The stand-in JSON reader.
def settings(path):
    return pd.read_json(path)
