"""EL402 near misses: the pre-fork `gc.freeze()` pattern manages the collector on purpose."""
import gc
import os


def preload_then_fork(load_models, serve):
    # Disable during start-up, freeze what was loaded, and fork workers that inherit it.
    gc.disable()
    models = load_models()
    gc.freeze()
    pid = os.fork()
    if pid == 0:
        gc.enable()
        serve(models)
