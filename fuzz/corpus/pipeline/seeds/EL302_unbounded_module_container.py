"""EL302 unbounded-module-container: marked lines must fire, all others must stay silent."""
import collections
import logging
import time
import weakref
from collections import defaultdict

log = logging.getLogger(__name__)


# --- Must fire -------------------------------------------------------------------------------


# An access log appended on every request and never trimmed.
_REQUEST_LOG = []  # error: EL302


def handle_request(request):
    _REQUEST_LOG.append((time.time(), request.path, request.remote_addr))
    return dispatch(request)


# Sessions stored by token on login and never expired.
_SESSIONS = {}  # error: EL302


def login(user, token):
    _SESSIONS[token] = {"user": user.name, "since": time.time()}


def current_user(token):
    session = _SESSIONS.get(token)
    return session["user"] if session else None


# Every device id ever seen, kept to detect new devices.
_SEEN_DEVICE_IDS = set()  # error: EL302


def on_heartbeat(device_id):
    if device_id not in _SEEN_DEVICE_IDS:
        log.info("new device %s", device_id)
        _SEEN_DEVICE_IDS.add(device_id)


# A list() of pending events extended with each batch and never consumed.
_PENDING_EVENTS = list()  # error: EL302


def enqueue_events(batch):
    _PENDING_EVENTS.extend(batch)
    return len(_PENDING_EVENTS)


# A dict() of per-tenant overrides merged on every config push.
_TENANT_OVERRIDES = dict()  # error: EL302


def apply_config_push(tenant_id, overrides):
    _TENANT_OVERRIDES.update({(tenant_id, key): value for key, value in overrides.items()})


# Errors grouped by endpoint in a qualified defaultdict, appended through the item.
_ERRORS_BY_ENDPOINT = collections.defaultdict(list)  # error: EL302


def record_error(endpoint, exc):
    _ERRORS_BY_ENDPOINT[endpoint].append(repr(exc))


# Tags per sensor in a bare defaultdict(set), added through the item.
_TAGS_BY_SENSOR = defaultdict(set)  # error: EL302


def tag_sensor(sensor_id, tag):
    _TAGS_BY_SENSOR[sensor_id].add(tag)


# Message batches per topic, extended through the defaultdict item.
_BATCHES_BY_TOPIC = defaultdict(list)  # error: EL302


def on_messages(topic, messages):
    _BATCHES_BY_TOPIC[topic].extend(messages)


# An OrderedDict of the last hit per route: reordered, never evicted.
_ROUTE_LAST_HIT = collections.OrderedDict()  # error: EL302


def note_route_hit(path):
    _ROUTE_LAST_HIT[path] = time.monotonic()
    _ROUTE_LAST_HIT.move_to_end(path)


# A deque without maxlen holding every raw camera frame.
_RAW_FRAMES = collections.deque()  # error: EL302


def on_frame(frame):
    _RAW_FRAMES.append(frame)


# Alerts pushed at the front of a deque without maxlen.
_RECENT_ALERTS = collections.deque()  # error: EL302


def raise_alert(alert):
    _RECENT_ALERTS.appendleft((time.time(), alert))


# A Counter of response statuses updated per response.
_STATUS_COUNTS = collections.Counter()  # error: EL302


def count_response(response):
    _STATUS_COUNTS.update([response.status_code])


# Per-user preference dicts created on first access with setdefault.
_USER_PREFS = {}  # error: EL302


def preference(user_id, name, default=None):
    prefs = _USER_PREFS.setdefault(user_id, {})
    return prefs.get(name, default)


# Shutdown hooks inserted by every connection and never unregistered.
_SHUTDOWN_HOOKS = []  # error: EL302
