"""EL501 array-grow-in-loop: marked lines must fire, all others must stay silent."""
import numpy as np
import pandas as pd
import torch
from numpy import concatenate


# --- Must fire -------------------------------------------------------------------------------


# ETL: every sensor reading is appended to a growing 1-D array, copying it each time.
def load_temperatures(readings):
    temps = np.array([], dtype=np.float32)
    for reading in readings:
        if reading.valid:
            temps = np.append(temps, reading.celsius)  # error: EL501
    return temps


# Feature extraction: per-window features concatenated onto the running matrix.
def extract_features(signal, window, hop):
    features = np.empty((0, 4))
    for start in range(0, len(signal) - window, hop):
        chunk = signal[start:start + window]
        row = np.array([[chunk.mean(), chunk.std(), chunk.min(), chunk.max()]])
        features = np.concatenate([features, row])  # error: EL501
    return features


# Batching: a tuple argument and an explicit axis do not change anything.
def gather_embeddings(model, batches):
    embeddings = np.zeros((0, model.dim), dtype=np.float32)
    for batch in batches:
        out = model.encode(batch)
        embeddings = np.concatenate((embeddings, out), axis=0)  # error: EL501
    return embeddings


# Sensor pipeline: a while loop polling the IMU, stacking rows vertically.
def record_imu(sensor, seconds):
    samples = np.empty((0, 6))
    deadline = sensor.clock() + seconds
    while sensor.clock() < deadline:
        ax, ay, az, gx, gy, gz = sensor.read()
        samples = np.vstack([samples, [ax, ay, az, gx, gy, gz]])  # error: EL501
    return samples


# Column-wise growth: one new column per derived channel.
def add_channels(base, transforms):
    table = base.reshape(-1, 1)
    for transform in transforms:
        column = transform(base).reshape(-1, 1)
        table = np.hstack((table, column))  # error: EL501
    return table


# Stacking a trajectory with itself on every simulation step.
def simulate(env, policy, steps):
    state = env.reset()
    trajectory = np.asarray(state)
    for _ in range(steps):
        state = env.step(policy(state))
        trajectory = np.stack([trajectory, state])  # error: EL501
    return trajectory


# Inference loop: model outputs concatenated onto a growing tensor.
@torch.no_grad()
def predict_all(model, loader):
    preds = torch.empty(0, dtype=torch.long)
    for images, _ in loader:
        logits = model(images)
        preds = torch.cat([preds, logits.argmax(dim=1)], dim=0)  # error: EL501
    return preds


# Autoregressive decoding: the token tensor is stacked with each new token.
def greedy_decode(model, start_token, max_len):
    tokens = torch.tensor([start_token])
    for _ in range(max_len):
        next_token = model(tokens).argmax(dim=-1)[-1]
        tokens = torch.stack([tokens, next_token])  # error: EL501
    return tokens


# ETL: the classic pandas anti-pattern, concatenating each chunk onto the frame.
def load_partitions(paths):
    df = pd.DataFrame()
    for path in paths:
        chunk = pd.read_parquet(path)
        df = pd.concat([df, chunk])  # error: EL501
    return df
