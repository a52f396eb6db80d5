"""EL402 gc-disabled-without-enable: marked lines must fire, all others must stay silent."""
import cProfile
import contextlib
import faulthandler
import gc
import logging

log = logging.getLogger(__name__)


# --- Must fire -------------------------------------------------------------------------------


# Disabled and never re-enabled: the collector stays off for the rest of the process.
def bulk_load(rows, table):
    gc.disable()  # error: EL402
    for row in rows:
        table.insert(row)


# Re-enabled at the end, but an exception in the loop skips the enable.
def build_index(documents):
    gc.disable()  # error: EL402
    index = {}
    for doc in documents:
        for token in doc.tokens:
            index.setdefault(token, []).append(doc.id)
    gc.enable()
    return index


# Re-enabled only on one branch of an if.
def parse_snapshot(blob, fast):
    gc.disable()  # error: EL402
    snapshot = decode(blob)
    if fast:
        gc.enable()
    return snapshot


# Re-enabled only when an exception is caught: the success path leaves it off.
def import_catalog(path, store):
    gc.disable()  # error: EL402
    try:
        store.load(path)
    except OSError:
        gc.enable()
        raise


# Re-enabled in the else of a try: skipped when the body raises.
def restore_checkpoint(loader, path):
    gc.disable()  # error: EL402
    try:
        state = loader.read(path)
    except ValueError:
        log.exception("corrupt checkpoint %s", path)
        return None
    else:
        gc.enable()
        return state


# Disabled and re-enabled inside the try body: a raise in between skips the enable.
def deserialize_frames(stream):
    try:
        gc.disable()  # error: EL402
        frames = [decode(chunk) for chunk in stream]
        gc.enable()
        return frames
    except EOFError:
        return []


# A finally that does not re-enable, with the enable after it.
def warm_cache(cache, keys):
    gc.disable()  # error: EL402
    try:
        for key in keys:
            cache.prefetch(key)
    finally:
        log.info("prefetched %d keys", len(keys))
    gc.enable()


# A method that re-enables at the end without a finally.
class ModelLoader:
    def load(self, path):
        gc.disable()  # error: EL402
        self.weights = read_weights(path)
        self.graph = build_graph(self.weights)
        gc.enable()


# An async handler: an exception from the await skips the enable.
async def ingest_batch(client, batch):
    gc.disable()  # error: EL402
    await client.write_many(batch)
    gc.enable()


# Disabled under a condition, re-enabled later without a finally.
def replay_events(events, apply, low_latency):
    if low_latency:
        gc.disable()  # error: EL402
    for event in events:
        apply(event)
    gc.enable()


# --- Must not fire ---------------------------------------------------------------------------


# The canonical pattern: re-enabled in a finally.
def bulk_load_safe(rows, table):
    gc.disable()
    try:
        for row in rows:
            table.insert(row)
    finally:
        gc.enable()


# Restores the previous state in the finally, under an if.
def build_index_safe(documents):
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return {doc.id: doc.tokens for doc in documents}
    finally:
        if was_enabled:
            gc.enable()
