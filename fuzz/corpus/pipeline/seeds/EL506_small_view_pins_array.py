"""EL506 small-view-pins-array: marked lines must fire, all others must stay silent."""
import torch
from torch import nn
import numpy as np


_PREVIEWS = []
_LOOKUP_TABLE = np.arange(1 << 16, dtype=np.float32)


# --- Must fire -------------------------------------------------------------------------------


# Calibration: one row of a large table is returned; the whole table stays alive.
def load_calibration_row(path):
    table = np.load(path)
    return table[0]  # error: EL506


# A file header read from a raw dump: 64 bytes pin the whole dump.
def read_header(path):
    raw = np.fromfile(path, dtype=np.uint8)
    return raw[:64]  # error: EL506


# A dashboard preview of the first ten embeddings.
def preview_embeddings(path):
    embeddings = np.load(path)
    return embeddings[:10]  # error: EL506


# Feature extraction: the timestamp column of a sensor CSV.
def load_timestamps(path):
    data = np.loadtxt(path, delimiter=",", skiprows=1)
    return data[:, 0]  # error: EL506


# A literal window in the middle of a label file.
def load_label_block(path):
    labels = np.load(path)
    return labels[5:10]  # error: EL506


# from_numpy shares the buffer: a slice of the tensor pins the whole array.
def load_prototype_tokens(path):
    tokens = torch.from_numpy(np.load(path))
    return tokens[:8]  # error: EL506


# A recording object keeps only its header view; int() of one sample is a copy.
class Recording:
    def __init__(self, path):
        raw = np.fromfile(path, dtype=np.int16)
        self.header = raw[:16]  # error: EL506
        self.sample_rate = int(raw[16])


# Normalization statistics: two rows stored on self, one finding each.
class Normalizer:
    def __init__(self, stats_path):
        stats = np.load(stats_path)
        self.mean = stats[0]  # error: EL506
        self.std = stats[1]  # error: EL506

    def __call__(self, x):
        return (x - self.mean) / self.std


# A patch of the first video frame: an integer and a bounded slice.
def first_frame_patch(path):
    video = np.load(path)
    return video[0, :128]  # error: EL506


# A trailer: the last 16 bytes, a slice with a literal negative start.
def read_trailer(path):
    raw = np.fromfile(path, dtype=np.uint8)
    return raw[-16:]  # error: EL506


# The first n rows: a bounded slice with a caller-chosen stop.
def head_rows(path, n):
    rows = np.loadtxt(path)
    return rows[:n]  # error: EL506


# An nn.Module keeping a prefix of a precomputed positional table.
class PositionalTable(nn.Module):
    def __init__(self, path):
        super().__init__()
        full = torch.from_numpy(np.load(path))
        self.positions = full[:512]  # error: EL506

    def forward(self, x):
        return x + self.positions[: x.size(1)]


# An async serving handler returning the first frame of a clip.
async def thumbnail(request):
    frames = np.load(request.query["path"])
    return frames[0]  # error: EL506


# A view appended to a module-level container outlives the call.
def register_preview(path):
    spectrogram = np.load(path)
    _PREVIEWS.append(spectrogram[:4])  # error: EL506


# Both branches return a small view.
def load_window(path, from_end):
    signal = np.load(path)
    if from_end:
        return signal[-100:]  # error: EL506
    return signal[:100]  # error: EL506
