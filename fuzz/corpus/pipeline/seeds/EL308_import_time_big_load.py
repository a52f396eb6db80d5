"""EL308 import-time-big-load: marked lines must fire, all others must stay silent."""
import functools
import json
import os
import pickle
from pathlib import Path

import numpy as np
import pandas as pd
import torch


# --- Must fire -------------------------------------------------------------------------------


# The class labels are parsed when the module is imported, whether or not a request needs them.
LABELS = json.load(open("models/labels.json"))  # error: EL308

# json.load inside a module-level with block.
with open("models/vocab.json") as vocab_file:
    VOCAB = json.load(vocab_file)  # error: EL308

# A pickled search index unpickled at import time.
with open("index/ann_index.pkl", "rb") as index_file:
    ANN_INDEX = pickle.load(index_file)  # error: EL308

# The embedding matrix is read into memory by every process that imports this module.
EMBEDDINGS = np.load("models/embeddings.npy")  # error: EL308

# A full checkpoint deserialized at import time.
MODEL_STATE = torch.load("models/detector.pt", map_location="cpu")  # error: EL308

# The product catalog read into a DataFrame on import.
CATALOG = pd.read_csv("data/catalog.csv")  # error: EL308

# A whole-file read of the stop word list.
STOPWORDS_TEXT = open("data/stopwords.txt").read()  # error: EL308

# Path.read_text at module level.
REPORT_TEMPLATE = Path("templates/report.html").read_text()  # error: EL308

# Path.read_bytes of a firmware image kept for the updater.
FIRMWARE_IMAGE = Path("firmware/sensor_fw.bin").read_bytes()  # error: EL308

# readlines inside a module-level with block.
with open("config/allowed_hosts.txt") as hosts_file:
    ALLOWED_HOSTS = hosts_file.readlines()  # error: EL308

# A load passed straight to a method inside a module-level with block is still an import-time load.
PLUGINS = {}
with open("config/plugins.json") as plugins_file:
    PLUGINS.update(json.load(plugins_file))  # error: EL308

# Both branches of a module-level if run at import time.
if os.environ.get("FEATURE_FORMAT") == "parquet":
    FEATURES = pd.read_parquet("data/features.parquet")  # error: EL308
else:
    FEATURES = pd.read_json("data/features.json")  # error: EL308

# A module-level try: the load and its fallback both happen on import.
try:
    CALIBRATION = np.load("calibration/camera0.npz")  # error: EL308
except FileNotFoundError:
    CALIBRATION = None


# --- Must not fire ---------------------------------------------------------------------------


# Lazy loading inside a function: nothing is read until a caller asks.
def load_labels(path="models/labels.json"):
    with open(path) as f:
        return json.load(f)


# A cached loader: the checkpoint is read once, on first use.
@functools.lru_cache(maxsize=1)
def get_model_state():
    return torch.load("models/detector.pt", map_location="cpu")


# A method that loads on demand.
class EmbeddingStore:
    def __init__(self, path):
        self.path = path
        self.matrix = None

    def ensure_loaded(self):
        if self.matrix is None:
            self.matrix = np.load(self.path)
        return self.matrix


# An async handler that reads the file per request.
async def read_manifest(path):
    return Path(path).read_text()


# json.loads of a string literal: a tiny constant, not a file.
DEFAULT_FLAGS = json.loads('{"debug": true, "sample_rate": 16000}')

# Reading a fixed-size header, not the whole file.
with open("firmware/sensor_fw.bin", "rb") as header_file:
    FIRMWARE_MAGIC = header_file.read(4)
