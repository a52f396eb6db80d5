"""EL402 at module level: a disable that the module never undoes."""
import gc

# Import-time speed-up that is never undone: the collector stays off for the process.
gc.disable()  # error: EL402

CONFIG = {"workers": 4}


def start():
    # Re-enabling inside a function does not count: it runs later, if ever.
    gc.enable()
    return CONFIG
