"""EL306 retained-traceback: marked lines must fire, all others must stay silent."""
import collections
import inspect
import logging
import queue
import sys
import time
import traceback

import requests

log = logging.getLogger(__name__)

ERRORS = []
_failures = {}
_seen_failures = set()
ERROR_QUEUE = queue.Queue()
last_exc = None
_last_tb = None
_last_args = None


# --- Must fire -------------------------------------------------------------------------------


class Uploader:
    # The exception kept on the instance pins its traceback and every frame in it.
    def upload(self, path):
        try:
            self.client.put(path)
        except OSError as e:
            self.last_error = e  # error: EL306

    # The traceback itself kept on the instance.
    def upload_quietly(self, path):
        try:
            self.client.put(path)
        except OSError as e:
            self.tb = e.__traceback__  # error: EL306


# Appended to a module-level list of errors.
def process_frame(frame):
    try:
        return decode(frame)
    except ValueError as e:
        ERRORS.append(e)  # error: EL306
        return None


# Stored in a module-level dict keyed by the job.
def run_job(job):
    try:
        job.run()
    except Exception as e:
        _failures[job.id] = e  # error: EL306


# Added to a module-level set.
def check_sensor(sensor):
    try:
        sensor.ping()
    except TimeoutError as e:
        _seen_failures.add(e)  # error: EL306


# Put on a module-level queue for the main thread to pick up.
def worker(task):
    try:
        task()
    except Exception as e:
        ERROR_QUEUE.put(e)  # error: EL306


class Supervisor:
    def __init__(self):
        self.errors = []
        self.by_worker = {}

    # Appended to a container attribute of self.
    def run_worker(self, fn):
        try:
            fn()
        except Exception as e:
            self.errors.append(e)  # error: EL306

    # Item assignment into a container attribute of self.
    def run_named(self, name, fn):
        try:
            fn()
        except Exception as e:
            self.by_worker[name] = e  # error: EL306


class RecentErrors:
    def __init__(self):
        self.recent = collections.deque(maxlen=10)

    # appendleft onto a deque attribute of self.
    def record(self, fn):
        try:
            fn()
        except Exception as e:
            self.recent.appendleft(e)  # error: EL306


# Assigned to a global inside a function.
def poll_once(url):
    global last_exc
    try:
        return requests.get(url, timeout=5)
    except requests.RequestException as e:
        last_exc = e  # error: EL306
        return None


# The traceback from sys.exc_info() kept in a global.
def guarded(fn):
    global _last_tb
    try:
        return fn()
    except Exception:
        _last_tb = sys.exc_info()[2]  # error: EL306
        return None


# A local copy of the exception in a retry loop, never cleared: it outlives the handler.
def fetch_with_retry(url, attempts):
    last_error = None
    for attempt in range(attempts):
        try:
            return requests.get(url, timeout=5)
        except requests.RequestException as e:
            last_error = e  # error: EL306
            time.sleep(2 ** attempt)
    raise RuntimeError(f"gave up on {url}") from last_error
