"""EL502 avoidable-array-copy: marked lines must fire, all others must stay silent."""
import numpy as np
import torch


# --- Must fire -------------------------------------------------------------------------------


# Inference pre-processing: the freshly built canvas is copied once more on return.
def letterbox(image, size):
    canvas = np.zeros((size, size, 3), dtype=np.uint8)
    h, w = image.shape[:2]
    canvas[:h, :w] = image
    return np.array(canvas)  # error: EL502


# A parameter annotated as an ndarray, copied and then only read.
def standardize(signal: np.ndarray) -> np.ndarray:
    x = np.array(signal)  # error: EL502
    return (x - x.mean()) / (x.std() + 1e-8)


# Loading model weights: the loaded array is copied before being handed over.
def load_layer(layer, path):
    weights = np.load(path)
    layer.set_weights(np.array(weights))  # error: EL502
    return layer


# Building a time axis: the copy is only used in an expression.
def time_axis(n, rate):
    ticks = np.arange(n)
    return np.array(ticks) / rate  # error: EL502


# Batching: an `asarray` result copied again before prediction.
def predict_rows(model, rows):
    batch = np.asarray(rows, dtype=np.float32)
    return model.predict(np.array(batch))  # error: EL502


# Sensor calibration: a `np.ones` gain vector copied into an expression.
def apply_gain(readings, channels):
    gains = np.ones(channels)
    return readings * np.array(gains)  # error: EL502


# An `np.array` result copied a second time.
def centroid(points):
    cloud = np.array(points)
    again = np.array(cloud)  # error: EL502
    return again.mean(axis=0)


# Mask coverage: a flattened copy only summed.
def mask_coverage(mask_path):
    mask = np.load(mask_path)
    return np.sum(mask.flatten()) / mask.size  # error: EL502


# Histogram of an annotated image: the flattened copy is only iterated.
def intensity_histogram(image: np.ndarray, bins):
    counts = [0] * bins
    for v in image.flatten():  # error: EL502
        counts[int(v) * bins // 256] += 1
    return counts


# Serving an embedding as JSON: flatten copies, then tolist copies again.
def embedding_as_list(vector_path):
    emb = np.load(vector_path)
    return emb.flatten().tolist()  # error: EL502


# Label balance for a segmentation batch.
def class_balance(labels: np.ndarray, num_classes):
    return np.bincount(labels.flatten(), minlength=num_classes)  # error: EL502


# Image statistics: the flattened copy is stored but only read.
def image_stats(path):
    img = np.load(path)
    flat = img.flatten()  # error: EL502
    return flat.mean(), flat.std(), np.percentile(flat, 99)


# Feature extraction over several inputs in a multi-line call: each finding on its own line.
def audio_features(spectrum: np.ndarray, envelope: np.ndarray):
    return np.concatenate(
        [
            spectrum.flatten(),  # error: EL502
            np.array(envelope),  # error: EL502
        ]
    )


# Model input: a float32 batch converted to float32 again.
def preprocess(frames, model_input):
    batch = np.zeros((len(frames), 224, 224, 3), dtype=np.float32)
    for i, frame in enumerate(frames):
        batch[i] = frame / 255.0
    return model_input(batch.astype(np.float32))  # error: EL502
