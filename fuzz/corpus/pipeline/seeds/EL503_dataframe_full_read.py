"""EL503 dataframe-full-read: marked lines must fire, all others must stay silent."""
import io
import sqlite3

import pandas
import pandas as pd
import polars as pl
from pandas import read_csv


# --- Must fire -------------------------------------------------------------------------------


# ETL: a whole CSV export read to compute one column's total.
def daily_revenue(path):
    orders = pd.read_csv(path)  # error: EL503
    return orders.groupby("day")["amount"].sum()


# Feature extraction from a parquet file, every column loaded.
def sensor_features(path):
    df = pd.read_parquet(path)  # error: EL503
    return df[["temp", "humidity"]].rolling(60).mean()


# JSON lines logs: `lines=True` is not one of the limiting options.
def error_rate(log_path):
    logs = pd.read_json(log_path, lines=True)  # error: EL503
    return (logs["level"] == "ERROR").mean()


# An Excel sheet read whole; `sheet_name` does not limit columns or rows.
def load_targets(workbook):
    targets = pd.read_excel(workbook, sheet_name="targets")  # error: EL503
    return dict(zip(targets["site"], targets["kwh"]))


# `pandas.read_csv` through the unaliased module.
def load_calibration(path):
    table = pandas.read_csv(path, index_col=0)  # error: EL503
    return table.loc["offset"]


# `read_csv` imported by name.
def load_labels(path):
    labels = read_csv(path, header=None, names=["file", "label"])  # error: EL503
    return labels.set_index("file")["label"]


# Separator and date parsing options do not limit memory.
def load_telemetry(path):
    return pd.read_csv(path, sep=";", parse_dates=["timestamp"])  # error: EL503


# Training data loaded per file inside a loop.
def build_training_set(paths):
    frames = []
    for path in paths:
        frames.append(pd.read_parquet(path, engine="pyarrow"))  # error: EL503
    return pd.concat(frames, ignore_index=True)


# Two reads in one expression: one finding each.
def join_devices(readings_path, devices_path):
    return pd.read_csv(readings_path).merge(pd.read_csv(devices_path), on="device_id")  # error: EL503, EL503


# A multi-line call: the finding points at the line where the call starts.
def load_export(path):
    export = pd.read_csv(  # error: EL503
        path,
        sep="\t",
        encoding="utf-8",
        low_memory=False,
    )
    return export.describe()


# Reading from an in-memory buffer is still a full read.
def parse_upload(payload: bytes):
    return pd.read_csv(io.BytesIO(payload))  # error: EL503


class InferenceJob:
    def __init__(self, model, input_path):
        self.model = model
        self.input_path = input_path

    # Batch inference: the whole input file is loaded in a method.
    def run(self):
        features = pd.read_parquet(self.input_path)  # error: EL503
        return self.model.predict(features)


# An async handler reading a JSON report in full.
async def summarize_report(fetch, url):
    path = await fetch(url)
    report = pd.read_json(path, orient="records")  # error: EL503
    return report.sum(numeric_only=True)


# --- Must not fire ---------------------------------------------------------------------------


# Only the needed columns are parsed.
def daily_revenue_fixed(path):
    orders = pd.read_csv(path, usecols=["day", "amount"])
    return orders.groupby("day")["amount"].sum()


# Compact dtypes given up front.
def load_events(path):
    events = pd.read_csv(path, dtype={"device_id": "category", "value": "float32"})
    return events
