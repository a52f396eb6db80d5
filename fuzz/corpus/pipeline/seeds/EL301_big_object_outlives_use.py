"""EL301 big-object-outlives-use: marked lines must fire, all others must stay silent."""
import asyncio
import hashlib
import json
import multiprocessing
import pickle
import socketserver
import threading
import time
import urllib.request
import zlib
from pathlib import Path

import numpy as np
import pandas as pd
import requests
import torch


# --- Must fire -------------------------------------------------------------------------------


# A config file read whole stays alive for the whole accept loop of the server.
def serve(config_path, sock):
    with open(config_path) as f:
        raw = f.read()  # error: EL301
    settings = parse_settings(raw)
    while True:
        conn, _ = sock.accept()
        handle_connection(conn, settings)


# A parsed JSON manifest is only needed to bind the gateway; the poll loop keeps it alive.
def run_gateway(manifest_path, server):
    manifest = json.load(open(manifest_path))  # error: EL301
    server.bind(manifest["host"], manifest["port"])
    while server.running:
        server.poll()


# The checkpoint dict is copied into the model, then the training loop keeps it alive.
def fine_tune(model, checkpoint_path, loader, optimizer):
    state = torch.load(checkpoint_path)  # error: EL301
    model.load_state_dict(state)
    for batch in loader:
        optimizer.zero_grad()
        loss = model(batch).mean()
        loss.backward()
        optimizer.step()


# A vocabulary parsed only to size the model, before the epochs run.
def train(vocab_path, model, epochs):
    vocab = json.loads(Path(vocab_path).read_text())  # error: EL301
    model.resize_embeddings(len(vocab))
    for epoch in range(epochs):
        model.fit_epoch(epoch)


# A whole CSV table only feeds the thresholds, then the inference loop runs with it alive.
def stream_predictions(csv_path, model, camera):
    table = pd.read_csv(csv_path)  # error: EL301
    thresholds = compute_thresholds(table)
    while camera.is_open():
        publish(model.predict(camera.grab()) > thresholds)


# Not reported: an array of computed shape may be small; its size is known only at run time.
def monitor(sensor, height, width):
    dark = np.empty((height, width))
    sensor.read_into(dark)
    offset = float(dark.mean())
    while True:
        publish(sensor.capture() - offset)


# Not reported: an array of computed shape may be small; its size is known only at run time.
def warm_up(model, batch_size, features, stop_event):
    dummy = torch.zeros(batch_size, features)
    model(dummy)
    stop_event.wait()


# A comprehension over a whole file's lines, handed to the index builder, then the worker sleeps.
def refresh_index(db_path, interval):
    rows = [normalize(row) for row in open(db_path).readlines()]  # error: EL301
    rebuild_index(rows)
    time.sleep(interval)


# Not reported: a list copy of something of unknown size (most are small in practice).
def snapshot_then_wait(pending_jobs, done):
    pending = list(pending_jobs)
    write_snapshot(pending)
    done.wait(timeout=600)


# Not reported: a buffer whose size is only known at run time is usually small.
def start_server(handler_cls, size):
    scratch = bytearray(size)
    prime_cache(scratch)
    server = socketserver.TCPServer(("", 8080), handler_cls)
    server.serve_forever()
