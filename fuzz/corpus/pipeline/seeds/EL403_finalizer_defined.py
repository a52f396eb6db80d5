"""EL403 finalizer-defined: marked lines must fire, all others must stay silent."""
import atexit
import socket
import threading
import warnings
import weakref
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


# --- Must fire -------------------------------------------------------------------------------


# A device connection closed from a finalizer.
class SensorConnection:
    def __init__(self, host, port):
        self.sock = socket.create_connection((host, port))

    def __del__(self):  # error: EL403
        self.sock.close()


# An empty finalizer still puts the object on the finalizer path.
class FrameBuffer:
    def __init__(self, size):
        self.data = bytearray(size)

    def __del__(self):  # error: EL403
        pass


# A finalizer with only a docstring.
class ModelHandle:
    def __init__(self, runtime, path):
        self.session = runtime.load(path)

    def __del__(self):  # error: EL403
        """Release the runtime session."""


# The standard-library idiom of binding globals as default arguments.
class TempDirectory:
    def __init__(self, path):
        self.path = path

    def __del__(self, _warn=warnings.warn):  # error: EL403
        _warn(f"implicitly cleaning up {self.path!r}", ResourceWarning)


# A subclass adding a finalizer.
class PooledConnection(SensorConnection):
    def __del__(self):  # error: EL403
        self.pool.release(self)


# A class nested in a class.
class Uploader:
    class Session:
        def __del__(self):  # error: EL403
            self.transport.close()


# A class defined inside a function.
def make_lease(lock):
    class Lease:
        def __del__(self):  # error: EL403
            lock.release()

    return Lease()


# A dataclass with a finalizer.
@dataclass
class GpuTensorCache:
    device: str

    def __del__(self):  # error: EL403
        free_device_memory(self.device)


# A context manager that also has a finalizer as a fallback: the finalizer still counts.
class LockFile:
    def __init__(self, path):
        self.fd = open(path, "w")

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        self.fd.close()

    def __del__(self):  # error: EL403
        if not self.fd.closed:
            self.fd.close()


# A generic pool with a finalizer.
class ObjectPool(Generic[T]):
    def __init__(self):
        self.items = []

    def __del__(self):  # error: EL403
        self.items.clear()


# A slotted class with a finalizer.
class RingSlot:
    __slots__ = ("value", "owner")

    def __del__(self):  # error: EL403
        self.owner.free(self)


# --- Must not fire ---------------------------------------------------------------------------


# An explicit close method.
class CameraStream:
    def __init__(self, device):
        self.device = device

    def close(self):
        self.device.release()


# A context manager.
class SerialPort:
    def __enter__(self):
        self.handle = open_port()
        return self

    def __exit__(self, exc_type, exc, tb):
        self.handle.close()


# Cleanup registered with weakref.finalize.
class MappedFile:
    def __init__(self, path):
        self.mapping = map_file(path)
        self._finalizer = weakref.finalize(self, self.mapping.close)


# A module-level function named __del__ is not a method.
def __del__(obj):
    obj.close()
