#!/usr/bin/env python3
"""Review edgelint's findings on real packages it was never tuned on.

Fixtures and the packages used while developing the rules (botocore, django, matplotlib, numpy,
pandas, scipy, sympy, transformers, requests, flask) can no longer tell us how precise the rules
are: they were tuned until those looked right. This script takes sets of eight other packages,
of the kinds edgelint's users write (edge/IoT, computer vision and ML, web and async servers, data
pipelines), and turns edgelint's findings on them into a review sheet: counts per rule and per
package, and a reproducible random sample of findings per rule, each with the source around it,
for a reviewer to judge as a maintainer who ships to a small device would: USEFUL (true, and
worth the change because the data can be big), NOISE (true, not worth it) or WRONG (false).

    python3 bench/review_packages.py install DIR [--set first|...|tenth]
    python3 bench/review_packages.py sample DIR [--per-rule 15] [--seed 17] [--pedantic]
                                                [--out FILE] [--binary PATH]

`install` downloads the pinned packages from the package index (wheels, or the sdist where there
is no wheel) into DIR/downloads and unpacks their Python files into DIR/packages/NAME/, leaving
out their test suites. It skips what is already there, so it can be run again at no cost.

`sample` runs edgelint on each DIR/packages/NAME with its default rules and writes the review
sheet as Markdown to FILE (default: standard output), and the same data as JSON to FILE with a
`.json` suffix, for a second tool to read (its `verdict` fields are left for the reviewer). With
`--pedantic` it runs `edgelint --pedantic` and samples only the findings that option adds (those
with an `unproven` reason), to review what the default run leaves out.
"""

import argparse
import functools
import json
import random
import re
import shutil
import subprocess
import sys
import tarfile
import zipfile
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

REPO = Path(__file__).resolve().parent.parent
DEFAULT_BINARY = REPO / "target" / "release" / "edgelint"

# Lines of source shown around a finding, and around its evidence when that is elsewhere.
BEFORE, AFTER = 12, 6
EVIDENCE_CONTEXT = 2

# Test suites are left out: users usually exclude them from edgelint (`--per-file-ignores
# "tests/**:..."`), and in some packages (dask, tornado) they would be half the sample.
TEST_DIRS = {"tests", "test"}


def is_test_module(stem):
    """A test module by its name, as edgelint tells test code: `test_x.py`, `x_test.py`."""
    return stem.startswith("test_") or stem.endswith("_test") or stem == "conftest"


# Written in each unpacked package, so that `install` can skip it and `sample` can name its
# version. A `.json` file, so edgelint never lints it.
MARKER = ".review-package.json"


@dataclass(frozen=True)
class Package:
    name: str  # on the package index
    version: str
    kind: str


# Exact pins, checked to download on this machine, in sets of eight: two of each kind. No set
# was used to tune the rules before its first review; once findings on a set have led to
# changes, the next review needs a set that has not (`install --set`).
PACKAGE_SETS = {
    "first": [
        Package("paho-mqtt", "2.2.0", "edge/IoT"),
        Package("pymodbus", "3.16.1", "edge/IoT"),
        Package("ultralytics", "8.4.190", "CV/ML"),
        Package("librosa", "0.11.0", "CV/ML"),
        Package("aiohttp", "3.14.5", "web/async"),
        Package("tornado", "6.6.1", "web/async"),
        Package("dask", "2026.8.0", "pipeline"),
        Package("luigi", "3.8.1", "pipeline"),
    ],
    "second": [
        Package("asyncua", "2.1.0", "edge/IoT"),
        Package("python-can", "4.6.1", "edge/IoT"),
        Package("supervision", "0.31.2", "CV/ML"),
        Package("scikit-image", "0.26.0", "CV/ML"),
        Package("websockets", "17.4", "web/async"),
        Package("gunicorn", "27.0.1", "web/async"),
        Package("fsspec", "2026.9.0", "pipeline"),
        Package("imageio", "2.38.2", "pipeline"),
    ],
    "third": [
        Package("aiocoap", "0.4.17", "edge/IoT"),
        Package("bleak", "3.1.0", "edge/IoT"),
        Package("albumentations", "2.0.8", "CV/ML"),
        Package("timm", "1.0.31", "CV/ML"),
        Package("sanic", "25.12.1", "web/async"),
        Package("twisted", "26.10.0", "web/async"),
        Package("smart_open", "9.0.4", "pipeline"),
        Package("petl", "1.7.30", "pipeline"),
    ],
    "fourth": [
        Package("zigpy", "2.4.0", "edge/IoT"),
        Package("aioesphomeapi", "46.23.0", "edge/IoT"),
        Package("kornia", "0.9.0", "CV/ML"),
        Package("scikit-learn", "1.9.1", "CV/ML"),
        Package("uvicorn", "0.55.0", "web/async"),
        Package("falcon", "4.4.0", "web/async"),
        Package("streamz", "0.6.6", "pipeline"),
        Package("dlt", "1.31.0", "pipeline"),
    ],
    "fifth": [
        Package("amqtt", "0.12.1", "edge/IoT"),
        Package("pysnmp", "7.1.30", "edge/IoT"),
        Package("mmengine", "0.10.7", "CV/ML"),
        Package("torchmetrics", "1.9.0", "CV/ML"),
        Package("starlette", "1.10.0", "web/async"),
        Package("hypercorn", "0.18.0", "web/async"),
        Package("kedro", "1.7.0", "pipeline"),
        Package("intake", "2.0.9", "pipeline"),
    ],
    "sixth": [
        Package("pyserial", "3.5", "edge/IoT"),
        Package("asyncssh", "2.24.1", "edge/IoT"),
        Package("torchvision", "0.29.2", "CV/ML"),
        Package("open_clip_torch", "3.3.0", "CV/ML"),
        Package("quart", "0.22.0", "web/async"),
        Package("werkzeug", "3.1.9", "web/async"),
        Package("fastparquet", "2026.9.0", "pipeline"),
        Package("tablib", "3.10.0", "pipeline"),
    ],
    # Larger trees, for rules that fire too seldom on the smaller sets to be judged.
    "seventh": [
        Package("homeassistant", "2024.3.3", "edge/IoT"),
        Package("zeroconf", "0.154.0", "edge/IoT"),
        Package("transformers", "5.25.0", "CV/ML"),
        Package("lightning", "2.6.6", "CV/ML"),
        Package("django", "5.2.19", "web/async"),
        Package("celery", "5.7.0", "web/async"),
        Package("prefect", "3.9.1", "pipeline"),
        Package("pandas", "3.1.1", "pipeline"),
    ],
    "eighth": [
        Package("esphome", "2026.6.5", "edge/IoT"),
        Package("bellows", "1.2.1", "edge/IoT"),
        Package("diffusers", "0.42.1", "CV/ML"),
        Package("keras", "3.15.1", "CV/ML"),
        Package("pyramid", "2.1", "web/async"),
        Package("litestar", "2.25.0", "web/async"),
        Package("dagster", "1.13.29", "pipeline"),
        Package("great_expectations", "1.24.1", "pipeline"),
    ],
    "ninth": [
        Package("meshtastic", "2.7.11", "edge/IoT"),
        Package("python-kasa", "0.12.0", "edge/IoT"),
        Package("nltk", "3.10.4", "CV/ML"),
        Package("gensim", "4.4.0", "CV/ML"),
        Package("scrapy", "2.19.0", "web/async"),
        Package("cherrypy", "18.10.0", "web/async"),
        Package("dvc", "3.67.1", "pipeline"),
        Package("obspy", "1.5.1", "pipeline"),
    ],
    "tenth": [
        Package("python-miio", "0.5.12", "edge/IoT"),
        Package("adafruit-blinka", "10.0.0", "edge/IoT"),
        Package("spacy", "3.8.18", "CV/ML"),
        Package("statsmodels", "0.15.0", "CV/ML"),
        Package("fastapi", "0.165.0", "web/async"),
        Package("eventlet", "0.41.3", "web/async"),
        Package("polars", "2.1.0", "pipeline"),
        Package("ibis-framework", "12.0.0", "pipeline"),
    ],
    # Chosen for data-heavy code (flight and robot logs, scans, packets, data sets, streams),
    # to give each rule enough default findings for one pooled review.
    "eleventh": [
        Package("pymavlink", "2.4.50", "edge/IoT"),
        Package("pyulog", "1.3.0", "edge/IoT"),
        Package("datasets", "5.2.0", "CV/ML"),
        Package("pydicom", "3.0.2", "CV/ML"),
        Package("aiokafka", "0.14.0", "web/async"),
        Package("bottle", "0.13.4", "web/async"),
        Package("frictionless", "5.21.0", "pipeline"),
        Package("xarray", "2026.9.0", "pipeline"),
    ],
    "twelfth": [
        Package("rosbags", "0.11.9", "edge/IoT"),
        Package("scapy", "2.8.0", "edge/IoT"),
        Package("nibabel", "5.4.2", "CV/ML"),
        Package("tifffile", "2026.3.3", "CV/ML"),
        Package("nats-py", "2.16.0", "web/async"),
        Package("kafka-python", "3.0.12", "web/async"),
        Package("zarr", "3.1.6", "pipeline"),
        Package("csvkit", "2.2.0", "pipeline"),
    ],
    "thirteenth": [
        Package("esptool", "5.6.0", "edge/IoT"),
        Package("influxdb-client", "1.50.0", "edge/IoT"),
        Package("trimesh", "5.2.0", "CV/ML"),
        Package("moviepy", "2.2.1", "CV/ML"),
        Package("httpx", "0.29.0", "web/async"),
        Package("pyzmq", "27.3.0", "web/async"),
        Package("mlflow", "3.18.0", "pipeline"),
        Package("agate", "1.14.2", "pipeline"),
    ],
    "fourteenth": [
        Package("mcap", "1.6.0", "edge/IoT"),
        Package("pyais", "3.3.1", "edge/IoT"),
        Package("sahi", "0.12.8", "CV/ML"),
        Package("onnx", "1.23.2", "CV/ML"),
        Package("aiortc", "1.16.0", "web/async"),
        Package("requests-toolbelt", "1.0.0", "web/async"),
        Package("singer-sdk", "0.54.9", "pipeline"),
        Package("pyarrow", "26.0.1", "pipeline"),
    ],
    "fifteenth": [
        Package("cantools", "45.1.0", "edge/IoT"),
        Package("asammdf", "8.8.28", "edge/IoT"),
        Package("torchio", "1.2.1", "CV/ML"),
        Package("monai", "1.6.1", "CV/ML"),
        Package("httpcore", "1.0.9", "web/async"),
        Package("python-socketio", "5.18.1", "web/async"),
        Package("fastavro", "1.13.1", "pipeline"),
        Package("pyiceberg", "0.12.0", "pipeline"),
    ],
    "sixteenth": [
        Package("aiomqtt", "2.5.1", "edge/IoT"),
        Package("pynmea2", "1.19.0", "edge/IoT"),
        Package("roboflow", "1.7.3", "CV/ML"),
        Package("tensorflow-datasets", "4.9.10", "CV/ML"),
        Package("sse-starlette", "3.7.1", "web/async"),
        Package("aiohttp-sse", "3.0", "web/async"),
        Package("petastorm", "0.13.1", "pipeline"),
        Package("webdataset", "1.0.2", "pipeline"),
    ],
    "seventeenth": [
        Package("canopen", "2.4.1", "edge/IoT"),
        Package("pyftdi", "0.57.2", "edge/IoT"),
        Package("laspy", "2.7.0", "CV/ML"),
        Package("xgboost", "3.2.0", "CV/ML"),
        Package("waitress", "3.0.2", "web/async"),
        Package("minio", "7.2.20", "web/async"),
        Package("faust-streaming", "0.15.3", "pipeline"),
        Package("clickhouse-driver", "0.2.11", "pipeline"),
    ],
    "eighteenth": [
        Package("digi-xbee", "1.5.0", "edge/IoT"),
        Package("pyvisa", "1.16.2", "edge/IoT"),
        Package("deepface", "0.0.103", "CV/ML"),
        Package("imgaug", "0.4.0", "CV/ML"),
        Package("s3transfer", "0.19.3", "web/async"),
        Package("aiosmtpd", "1.4.6", "web/async"),
        Package("avro", "1.12.2", "pipeline"),
        Package("awswrangler", "3.17.1", "pipeline"),
    ],
    "nineteenth": [
        Package("xknx", "4.0.0", "edge/IoT"),
        Package("opcua", "0.98.13", "edge/IoT"),
        Package("sentence-transformers", "6.3.0", "CV/ML"),
        Package("accelerate", "1.16.0", "CV/ML"),
        Package("flask", "3.1.3", "web/async"),
        Package("grpclib", "0.4.9", "web/async"),
        Package("dramatiq", "2.2.1", "pipeline"),
        Package("rq", "3.0.0", "pipeline"),
    ],
    "twentieth": [
        Package("pyatv", "0.18.0", "edge/IoT"),
        Package("zwave-js-server-python", "0.56.0", "edge/IoT"),
        Package("pytorch-metric-learning", "2.9.0", "CV/ML"),
        Package("lightly", "1.6.0", "CV/ML"),
        Package("channels", "4.3.2", "web/async"),
        Package("h2", "4.4.1", "web/async"),
        Package("huey", "3.5.4", "pipeline"),
        Package("arq", "0.28.0", "pipeline"),
        Package("mmdet", "3.3.0", "CV/ML"),
        Package("espnet", "202511", "CV/ML"),
        Package("allennlp", "2.10.1", "CV/ML"),
        Package("apache-airflow-core", "3.3.2", "pipeline"),
    ],
    "twenty-first": [
        Package("HAP-python", "5.2.0", "edge/IoT"),
        Package("zigpy-znp", "1.1.1", "edge/IoT"),
        Package("speechbrain", "1.1.2", "CV/ML"),
        Package("mmsegmentation", "1.2.2", "CV/ML"),
        Package("easyocr", "1.7.2", "CV/ML"),
        Package("djangorestframework", "3.18.3", "web/async"),
        Package("mitmproxy", "11.0.2", "web/async"),
        Package("apache-beam", "2.77.0", "pipeline"),
        Package("feast", "0.67.0", "pipeline"),
    ],
    "twenty-second": [
        Package("pyinsteon", "1.7.0", "edge/IoT"),
        Package("python-roborock", "7.13.0", "edge/IoT"),
        Package("mmpretrain", "1.2.0", "CV/ML"),
        Package("torchtune", "0.6.1", "CV/ML"),
        Package("locust", "2.47.0", "web/async"),
        Package("wagtail", "8.0.1", "web/async"),
        Package("metaflow", "2.19.39", "pipeline"),
        Package("dbt-core", "1.12.6", "pipeline"),
    ],
    "twenty-third": [
        Package("aiohomekit", "4.0.1", "edge/IoT"),
        Package("aioshelly", "13.35.0", "edge/IoT"),
        Package("mmocr", "1.0.1", "CV/ML"),
        Package("torchgeo", "0.8.1", "CV/ML"),
        Package("autobahn", "26.11.1", "web/async"),
        Package("python-engineio", "4.15.1", "web/async"),
        Package("sf-hamilton", "1.90.0", "pipeline"),
        Package("kfp", "2.17.3", "pipeline"),
    ],
    "twenty-fourth": [
        Package("pydeconz", "115", "edge/IoT"),
        Package("aiohue", "4.9.0", "edge/IoT"),
        Package("python-matter-server", "7.0.1", "edge/IoT"),
        Package("mmpose", "1.3.2", "CV/ML"),
        Package("insightface", "2.1", "CV/ML"),
        Package("aiogram", "3.31.0", "web/async"),
        Package("telethon", "1.45.0", "web/async"),
        Package("modin", "0.37.1", "pipeline"),
        Package("pandera", "0.35.0", "pipeline"),
        Package("ray", "2.60.0", "pipeline"),
    ],
    "twenty-fifth": [
        Package("aiounifi", "74", "edge/IoT"),
        Package("homematicip", "1.1.5", "edge/IoT"),
        Package("roombapy", "2.0.2", "edge/IoT"),
        Package("pyatmo", "9.9.1", "edge/IoT"),
        Package("fastai", "2.8.12", "CV/ML"),
        Package("flair", "0.15.1", "CV/ML"),
        Package("yolov5", "7.0.14", "CV/ML"),
        Package("nicegui", "3.18.0", "web/async"),
        Package("gradio", "6.31.0", "web/async"),
        Package("zenml", "0.98.0", "pipeline"),
        Package("pyspark", "4.3.0", "pipeline"),
    ],
    "twenty-sixth": [
        Package("pysmartthings", "1.2.0", "edge/IoT"),
        Package("pyvesync", "3.4.2", "edge/IoT"),
        Package("pywemo", "2.1.2", "edge/IoT"),
        Package("mmaction2", "1.2.0", "CV/ML"),
        Package("torchaudio", "2.11.1", "CV/ML"),
        Package("django-ninja", "1.7.1", "web/async"),
        Package("pyrogram", "2.0.106", "web/async"),
        Package("kombu", "5.7.0", "pipeline"),
        Package("taskiq", "0.13.0", "pipeline"),
        Package("bytewax", "0.21.1", "pipeline"),
    ],
    "twenty-seventh": [
        Package("pyhomematic", "0.1.78", "edge/IoT"),
        Package("aioharmony", "1.0.11", "edge/IoT"),
        Package("pyps4-2ndscreen", "1.3.1", "edge/IoT"),
        Package("mmrotate", "0.3.4", "CV/ML"),
        Package("paddlenlp", "2.8.1", "CV/ML"),
        Package("tritonclient", "2.73.0", "CV/ML"),
        Package("bentoml", "1.4.40", "web/async"),
        Package("litserve", "0.2.19", "web/async"),
        Package("faststream", "0.7.8", "pipeline"),
        Package("apache-flink", "2.3.0", "pipeline"),
    ],
    "twenty-eighth": [
        Package("pyubx2", "1.4.0", "edge/IoT"),
        Package("soco", "0.32.5", "edge/IoT"),
        Package("pyisy", "3.8.0", "edge/IoT"),
        Package("openai-whisper", "20250625", "CV/ML"),
        Package("pytorch-ignite", "0.5.5", "CV/ML"),
        Package("stanza", "1.15.0", "CV/ML"),
        Package("pyannote.audio", "4.0.7", "CV/ML"),
        Package("strawberry-graphql", "0.341.2", "web/async"),
        Package("daphne", "4.2.3", "web/async"),
        Package("quixstreams", "3.28.1", "pipeline"),
        Package("satpy", "0.60.0", "pipeline"),
        Package("airbyte-cdk", "7.39.1", "pipeline"),
    ],
    "twenty-ninth": [
        Package("gpiozero", "2.0.1.post3", "edge/IoT"),
        Package("pynmeagps", "1.1.8", "edge/IoT"),
        Package("pyvlx", "0.2.36", "edge/IoT"),
        Package("onnxruntime", "1.32.0", "CV/ML"),
        Package("rembg", "2.0.86", "CV/ML"),
        Package("torch-geometric", "2.8.1", "CV/ML"),
        Package("blacksheep", "2.6.4", "web/async"),
        Package("connexion", "3.3.0", "web/async"),
        Package("ydata-profiling", "4.18.4", "pipeline"),
        Package("ploomber", "0.23.3", "pipeline"),
        Package("datachain", "0.62.0", "pipeline"),
    ],
    "thirtieth": [
        Package("pyotgw", "2.2.3", "edge/IoT"),
        Package("pylutron-caseta", "0.30.1", "edge/IoT"),
        Package("aiolifx", "1.2.2", "edge/IoT"),
        Package("segment-anything", "1.0", "CV/ML"),
        Package("optimum", "2.3.0", "CV/ML"),
        Package("peft", "0.21.2", "CV/ML"),
        Package("aiomysql", "0.3.2", "web/async"),
        Package("redis", "8.1.0", "web/async"),
        Package("deltalake", "1.6.6", "pipeline"),
        Package("sqlmesh", "0.236.4", "pipeline"),
    ],
    # Chosen where the default tier fires (streams, packets, binary formats, signals), to
    # measure its precision on code it says something about.
    "thirty-first": [
        Package("dpkt", "1.9.8", "edge/IoT"),
        Package("paramiko", "5.1.0", "edge/IoT"),
        Package("websocket-client", "1.9.2", "edge/IoT"),
        Package("wfdb", "4.3.1", "CV/ML"),
        Package("mne", "1.13.2", "CV/ML"),
        Package("pillow", "13.0.0", "CV/ML"),
        Package("pika", "1.4.4", "web/async"),
        Package("pydub", "0.25.1", "pipeline"),
        Package("mutagen", "1.48.1", "pipeline"),
        Package("pypdf", "7.1.1", "pipeline"),
    ],
    "thirty-second": [
        Package("tinytuya", "1.20.0", "edge/IoT"),
        Package("pyoverkiz", "1.20.6", "edge/IoT"),
        Package("zha-quirks", "0.0.112", "edge/IoT"),
        Package("darts", "0.48.1", "CV/ML"),
        Package("lightgbm", "4.7.0", "CV/ML"),
        Package("pyod", "3.6.7", "CV/ML"),
        Package("python-telegram-bot", "22.8", "web/async"),
        Package("discord.py", "2.7.1", "web/async"),
        Package("slack-bolt", "1.30.0", "web/async"),
        Package("meltano", "4.4.1", "pipeline"),
        Package("pyjanitor", "0.32.60", "pipeline"),
    ],
    "thirty-third": [
        Package("broadlink", "0.19.0", "edge/IoT"),
        Package("fritzconnection", "1.15.1", "edge/IoT"),
        Package("pylitterbot", "2025.7.0", "edge/IoT"),
        Package("pytorchvideo", "0.1.5", "CV/ML"),
        Package("paddleocr", "3.7.0", "CV/ML"),
        Package("tsfresh", "0.21.2", "CV/ML"),
        Package("matrix-nio", "0.26.0", "web/async"),
        Package("slixmpp", "1.17.0", "web/async"),
        Package("aiosmtplib", "5.1.3", "web/async"),
        Package("featuretools", "1.31.0", "pipeline"),
        Package("datacompy", "1.1.0", "pipeline"),
    ],
    "thirty-fourth": [
        Package("pyheos", "1.0.6", "edge/IoT"),
        Package("pysma", "0.7.5", "edge/IoT"),
        Package("pymata4", "1.15", "edge/IoT"),
        Package("skorch", "1.4.0", "CV/ML"),
        Package("pytorch-tabnet", "4.1.0", "CV/ML"),
        Package("facenet-pytorch", "2.6.0", "CV/ML"),
        Package("aioquic", "1.7.2", "web/async"),
        Package("nameko", "2.14.1", "web/async"),
        Package("openpyxl", "3.1.5", "pipeline"),
        Package("pyexcel-io", "0.6.8", "pipeline"),
    ],
    "thirty-fifth": [
        Package("aiowebostv", "0.10.0", "edge/IoT"),
        Package("pyipp", "0.17.2", "edge/IoT"),
        Package("pysiaalarm", "3.2.2", "edge/IoT"),
        Package("river", "0.26.1", "CV/ML"),
        Package("pytorch-forecasting", "1.8.0", "CV/ML"),
        Package("imagehash", "4.3.2", "CV/ML"),
        Package("aio-pika", "10.2.1", "web/async"),
        Package("aiormq", "7.2.4", "web/async"),
        Package("ijson", "3.6.0", "pipeline"),
        Package("sqlglot", "30.31.0", "pipeline"),
    ],
    "thirty-sixth": [
        Package("pytradfri", "14.0.0", "edge/IoT"),
        Package("plugwise", "1.6.0", "edge/IoT"),
        Package("pyenphase", "4.2.0", "edge/IoT"),
        Package("optuna", "5.1.0", "CV/ML"),
        Package("umap-learn", "0.5.12", "CV/ML"),
        Package("sktime", "1.2.0", "CV/ML"),
        Package("aiocache", "0.12.3", "web/async"),
        Package("gql", "4.4.0", "web/async"),
        Package("pypika", "0.51.1", "pipeline"),
        Package("bonobo", "0.6.4", "pipeline"),
    ],
    "thirty-seventh": [
        Package("aioswitcher", "5.1.2", "edge/IoT"),
        Package("pyvizio", "0.1.64", "edge/IoT"),
        Package("pysqueezebox", "0.14.0", "edge/IoT"),
        Package("luxtronik", "0.3.14", "edge/IoT"),
        Package("mediapipe", "1.2.3", "CV/ML"),
        Package("albucore", "0.3.1", "CV/ML"),
        Package("kserve", "0.21.0", "web/async"),
        Package("mlserver", "1.7.1", "web/async"),
        Package("sqlalchemy-utils", "0.43.0", "pipeline"),
        Package("great-tables", "1.1.0", "pipeline"),
    ],
}
PACKAGES = [package for packages in PACKAGE_SETS.values() for package in packages]


# ---------------------------------------------------------------------------------------------
# install


def canonical(name):
    """A project name as the package index compares it (PEP 503)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def find_download(downloads, package):
    """The wheel, else the sdist, of `package` already in `downloads`, or None."""
    wheels, sdists = [], []
    for path in sorted(downloads.glob("*")):
        if path.name.endswith(".whl"):
            # name-version(-build)?-python-abi-platform.whl
            name, version = path.name.split("-")[:2]
            found = wheels
        elif path.name.endswith((".tar.gz", ".zip")):
            stem = path.name.removesuffix(".tar.gz").removesuffix(".zip")
            name, _, version = stem.rpartition("-")
            found = sdists
        else:
            continue
        if canonical(name) == canonical(package.name) and version == package.version:
            found.append(path)
    candidates = wheels + sdists
    return candidates[0] if candidates else None


def download(downloads, package):
    """Download `package` with pip unless it is already there; return the file."""
    found = find_download(downloads, package)
    if found:
        return found
    pin = f"{package.name}=={package.version}"
    pip = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "-d", str(downloads)]
    wheel = subprocess.run([*pip, "--only-binary=:all:", pin], capture_output=True, text=True)
    if wheel.returncode != 0:
        # Some packages publish no wheel (or none for this platform): take the source then.
        subprocess.run([*pip, "--no-binary=:all:", pin], check=True)
    found = find_download(downloads, package)
    if not found:
        sys.exit(f"pip downloaded nothing that matches {pin} into {downloads}")
    return found


def archive_members(archive):
    """Yield (path inside the archive, bytes) for each regular file of a wheel or sdist."""
    if zipfile.is_zipfile(archive):
        with zipfile.ZipFile(archive) as zipped:
            for info in zipped.infolist():
                if not info.is_dir():
                    yield info.filename, zipped.read(info)
    else:
        with tarfile.open(archive) as tarred:
            for member in tarred:
                if member.isfile():
                    yield member.name, tarred.extractfile(member).read()


def python_files(archive):
    """Yield (relative path, bytes) of every .py file in a wheel or sdist.

    An sdist wraps everything in a `name-version/` folder, which is dropped so that paths read as
    in the wheel.
    """
    is_sdist = not archive.name.endswith(".whl")
    for name, data in archive_members(archive):
        parts = PurePosixPath(name).parts
        if is_sdist:
            parts = parts[1:]
        # Never write outside the package's folder, whatever the archive says.
        if not parts or parts[0] == "/" or ".." in parts or not parts[-1].endswith(".py"):
            continue
        yield PurePosixPath(*parts), data


def count_lines(data):
    return len(data.decode("utf-8", errors="replace").splitlines())


def unpack(archive, package, target):
    """Unpack the package's Python files into `target`; return what the marker records."""
    if target.exists():
        shutil.rmtree(target)  # an older version, or an unpacking cut short
    files = lines = skipped = 0
    for relative, data in python_files(archive):
        if TEST_DIRS & set(relative.parent.parts) or is_test_module(relative.stem):
            skipped += 1
            continue
        path = target / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        files += 1
        lines += count_lines(data)
    record = {
        "name": package.name,
        "version": package.version,
        "kind": package.kind,
        "archive": archive.name,
        "py_files": files,
        "lines": lines,
        "test_files_skipped": skipped,
    }
    target.mkdir(parents=True, exist_ok=True)
    # Written last: a marker means the unpacking finished.
    (target / MARKER).write_text(json.dumps(record, indent=2) + "\n")
    return record


def read_marker(target):
    try:
        return json.loads((target / MARKER).read_text())
    except (OSError, ValueError):
        return None


def install(args):
    root = Path(args.dir).resolve()
    downloads = root / "downloads"
    downloads.mkdir(parents=True, exist_ok=True)
    total_files = total_lines = 0
    for package in PACKAGE_SETS[args.set]:
        target = root / "packages" / package.name
        record = read_marker(target)
        if record and record["version"] == package.version:
            state = "already unpacked"
        else:
            record = unpack(download(downloads, package), package, target)
            state = f"unpacked from {record['archive']}"
        total_files += record["py_files"]
        total_lines += record["lines"]
        print(
            f"{package.name:<12} {package.version:<10} {package.kind:<9} "
            f"{record['py_files']:>5} .py files {record['lines']:>8,} lines "
            f"({record['test_files_skipped']} test files left out; {state})",
            flush=True,
        )
    print(f"{'total':<33} {total_files:>5} .py files {total_lines:>8,} lines")


# ---------------------------------------------------------------------------------------------
# sample


def installed_packages(root):
    """The unpacked packages under root/packages, in the order of PACKAGES, then by name."""
    order = {package.name: index for index, package in enumerate(PACKAGES)}
    found = []
    for target in (root / "packages").iterdir():
        record = read_marker(target) if target.is_dir() else None
        if record:
            found.append((target, record))
    if not found:
        sys.exit(f"no unpacked package in {root / 'packages'}: run `install {root}` first")
    return sorted(found, key=lambda item: (order.get(item[1]["name"], len(order)), item[1]["name"]))


def edgelint_options(pedantic):
    options = [
        "--no-cache",
        "--output-format", "json",
        # The packages' own settings (if any) and any .gitignore above DIR (DIR may sit in an
        # ignored folder of a repository) must not change what the default rules see.
        "--isolated",
        "--no-respect-gitignore",
        "--exit-zero",  # findings are the point; exit 2 still tells a failed run
    ]
    return [*options, "--pedantic"] if pedantic else options


def run_edgelint(binary, target, pedantic):
    """edgelint's findings on one package, as the JSON output's list of objects."""
    command = [str(binary), *edgelint_options(pedantic)]
    # Run from the package's folder so that file names read as paths inside the package.
    result = subprocess.run([*command, "."], cwd=target, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"edgelint failed on {target} (exit {result.returncode}):\n{result.stderr}")
    return json.loads(result.stdout)


# Samples are sorted by place, so a few files kept are enough to read each one about once.
@functools.lru_cache(maxsize=32)
def read_lines(path):
    try:
        return path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None


def excerpt(path, row, before, after, span=None):
    """Numbered lines around `row` of `path`, or None when the file cannot be read.

    `span` is (start column, end column) on `row`, both one-based as in edgelint's JSON; it is
    underlined with carets.
    """
    lines = read_lines(path)
    if lines is None or not 1 <= row <= len(lines):
        return None
    first, last = max(1, row - before), min(len(lines), row + after)
    width = len(str(last))
    shown = []
    for number in range(first, last + 1):
        marker = ">" if number == row else " "
        shown.append(f"{marker} {number:>{width}} | {lines[number - 1]}".rstrip())
        if number == row and span:
            start, end = span
            carets = "^" * max(1, end - start)
            shown.append(f"  {' ' * width} | {' ' * (start - 1)}{carets}")
    return {"first_row": first, "row": row, "lines": shown}


def sample_entry(finding, package, target, ident):
    """One sampled finding, with the source around it and around its evidence."""
    row, column = finding["location"]["row"], finding["location"]["column"]
    end = finding["end_location"]
    # Underline the flagged range when it fits on its line; a multi-line one gets one caret.
    span = (column, end["column"] if end["row"] == row else column + 1)
    path = target / finding["filename"]
    evidence = finding.get("evidence")
    evidence_excerpt = None
    if evidence:
        evidence_path = target / evidence["filename"]
        evidence_row = evidence["location"]["row"]
        # Shown apart only when the finding's own excerpt does not already hold that line.
        if evidence_path.resolve() != path.resolve() or not (
            row - BEFORE <= evidence_row <= row + AFTER
        ):
            evidence_excerpt = excerpt(
                evidence_path, evidence_row, EVIDENCE_CONTEXT, EVIDENCE_CONTEXT
            )
    return {
        "id": ident,
        "package": package,
        "code": finding["code"],
        "name": finding["name"],
        "severity": finding["severity"],
        "message": finding["message"],
        "help": finding.get("help"),
        "filename": finding["filename"],
        "location": finding["location"],
        "end_location": end,
        "fix": (finding.get("fix") or {}).get("applicability"),
        "evidence": evidence,
        "unproven": finding.get("unproven"),
        "context": excerpt(path, row, BEFORE, AFTER, span),
        "evidence_context": evidence_excerpt,
        "verdict": None,  # for the reviewer: "USEFUL", "NOISE" or "WRONG"
        "note": None,
    }


def draw_samples(findings, per_rule, seed):
    """A seeded random sample of each rule's findings, sorted by place for reading.

    Each rule has its own generator, seeded from the seed and its code, so that a rule's sample
    does not change when another rule finds more or less.
    """
    by_rule = defaultdict(list)
    for package, target, finding in findings:
        by_rule[finding["code"]].append((package, target, finding))
    samples = {}
    for code in sorted(by_rule):
        candidates = sorted(
            by_rule[code],
            key=lambda item: (
                item[0],
                item[2]["filename"],
                item[2]["location"]["row"],
                item[2]["location"]["column"],
                item[2]["message"],
            ),
        )
        chosen = random.Random(f"{seed}:{code}").sample(
            candidates, min(per_rule, len(candidates))
        )
        chosen.sort(key=candidates.index)
        width = max(2, len(str(len(chosen))))
        samples[code] = [
            sample_entry(finding, package, target, f"{code}-{index:0{width}}")
            for index, (package, target, finding) in enumerate(chosen, 1)
        ]
    return samples


def per_10k(count, lines):
    return round(count * 10_000 / lines, 2) if lines else 0.0


def fence_for(lines):
    """A code fence longer than any run of backticks in the lines (docstrings hold Markdown)."""
    longest = max((len(run) for line in lines for run in re.findall(r"`+", line)), default=0)
    return "`" * max(3, longest + 1)


def code_block(lines):
    fence = fence_for(lines)
    return [f"{fence}python", *lines, fence]


def place(location, filename=None):
    text = f"{location['row']}:{location['column']}"
    return f"{filename}:{text}" if filename else text


def render_markdown(report):
    packages = [package["name"] for package in report["packages"]]
    counts = report["counts"]
    out = []
    kind = "`--pedantic`-only findings" if report["pedantic"] else "default findings"
    out.append(f"# edgelint review: {kind} on {len(packages)} packages it was not tuned on")
    out.append("")
    out.append(f"- edgelint: `{report['edgelint_version']}` (`{report['binary']}`)")
    out.append(f"- command, in each package's folder: `{' '.join(report['command'])} .`")
    out.append(
        f"- sample: up to {report['per_rule']} findings per rule, seed {report['seed']}"
        f" (`{report['sample_command']}`)"
    )
    if report["pedantic"]:
        out.append(
            f"- only findings with an `unproven` reason are counted and sampled: "
            f"{report['reviewed_total']:,} of the {report['all_total']:,} that `--pedantic` reports"
        )
    out.append(
        "- for each sample, fill in **verdict** (USEFUL / NOISE / WRONG) and "
        "why; the JSON file beside this one has the same samples, with `verdict` and `note` "
        "fields"
    )
    out.append("")

    out.append("## Counts")
    out.append("")
    out.append("| rule | " + " | ".join(packages) + " | total |")
    out.append("| --- | " + " | ".join("---:" for _ in packages) + " | ---: |")
    for code in sorted(counts):
        row = counts[code]
        cells = [str(row.get(name, 0)) for name in packages]
        out.append(
            f"| {code} {report['rule_names'][code]} | "
            + " | ".join(cells)
            + f" | {sum(row.values())} |"
        )
    totals = [package["findings"] for package in report["packages"]]
    lines = [package["lines"] for package in report["packages"]]
    out.append("| **findings** | " + " | ".join(map(str, totals)) + f" | {sum(totals)} |")
    out.append(
        "| Python lines | " + " | ".join(f"{n:,}" for n in lines) + f" | {sum(lines):,} |"
    )
    out.append(
        "| findings per 10k lines | "
        + " | ".join(f"{per_10k(f, n):.2f}" for f, n in zip(totals, lines))
        + f" | {per_10k(sum(totals), sum(lines)):.2f} |"
    )
    if report["pedantic"]:
        everything = [package["all_findings"] for package in report["packages"]]
        out.append(
            "| (all `--pedantic` findings) | "
            + " | ".join(map(str, everything))
            + f" | {sum(everything)} |"
        )
    out.append("")
    out.append(
        "Packages: "
        + ", ".join(
            f"{p['name']} {p['version']} ({p['kind']}, {p['py_files']} files)"
            for p in report["packages"]
        )
        + ". Test suites are left out."
    )
    out.append("")

    for code, samples in report["samples"].items():
        total = sum(counts[code].values())
        out.append(f"## {code} {report['rule_names'][code]}")
        out.append("")
        out.append(f"{len(samples)} sampled of {total} findings.")
        out.append("")
        for sample in samples:
            out.append(
                f"### {sample['id']} · {sample['package']} · "
                f"`{place(sample['location'], sample['filename'])}`"
            )
            out.append("")
            out.append(f"- **{sample['code']}** ({sample['severity']}): {sample['message']}")
            evidence = sample["evidence"]
            if evidence:
                out.append(
                    f"- evidence: {evidence['message']} "
                    f"(`{place(evidence['location'], evidence['filename'])}`)"
                )
            if sample["unproven"]:
                out.append(f"- unproven: {sample['unproven']}")
            if sample["help"]:
                out.append(f"- help: {sample['help']}")
            if sample["fix"]:
                out.append(f"- fix: {sample['fix']}")
            out.append("- **verdict:** ")
            out.append("")
            if sample["context"]:
                out.extend(code_block(sample["context"]["lines"]))
            else:
                out.append("_(source not found)_")
            if evidence and sample["evidence_context"]:
                out.append("")
                out.append(f"Evidence, `{place(evidence['location'], evidence['filename'])}`:")
                out.append("")
                out.extend(code_block(sample["evidence_context"]["lines"]))
            out.append("")
    return "\n".join(out) + "\n"


def sample(args):
    root = Path(args.dir).resolve()
    binary = Path(args.binary).resolve()
    version = subprocess.run(
        [str(binary), "--version"], capture_output=True, text=True, check=True
    ).stdout.strip()

    packages, reviewed, counts, rule_names = [], [], defaultdict(Counter), {}
    for target, record in installed_packages(root):
        name = record["name"]
        findings = run_edgelint(binary, target, args.pedantic)
        # With --pedantic, the subject is what that option adds: the findings without proof.
        kept = [f for f in findings if f.get("unproven")] if args.pedantic else findings
        for finding in kept:
            counts[finding["code"]][name] += 1
            rule_names[finding["code"]] = finding["name"]
            reviewed.append((name, target, finding))
        packages.append(
            {
                "name": name,
                "version": record["version"],
                "kind": record["kind"],
                "py_files": record["py_files"],
                "lines": record["lines"],
                "findings": len(kept),
                "all_findings": len(findings),
                "findings_per_10k_lines": per_10k(len(kept), record["lines"]),
            }
        )
        print(f"{name}: {len(kept)} findings", file=sys.stderr, flush=True)

    lines = sum(package["lines"] for package in packages)
    report = {
        "edgelint_version": version,
        "binary": str(binary),
        "command": ["edgelint", *edgelint_options(args.pedantic)],
        "sample_command": " ".join(["python3", "bench/review_packages.py", *sys.argv[1:]]),
        "pedantic": args.pedantic,
        "per_rule": args.per_rule,
        "seed": args.seed,
        "packages": packages,
        "lines": lines,
        "reviewed_total": len(reviewed),
        "all_total": sum(package["all_findings"] for package in packages),
        "findings_per_10k_lines": per_10k(len(reviewed), lines),
        "rule_names": dict(sorted(rule_names.items())),
        "counts": {code: dict(counts[code]) for code in sorted(counts)},
        "samples": draw_samples(reviewed, args.per_rule, args.seed),
    }

    markdown = render_markdown(report)
    if args.out:
        out = Path(args.out)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(markdown)
        out.with_suffix(".json").write_text(json.dumps(report, indent=2) + "\n")
        print(f"wrote {out} and {out.with_suffix('.json')}", file=sys.stderr)
    else:
        sys.stdout.write(markdown)


def main():
    parser = argparse.ArgumentParser(
        description=__doc__.partition("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True)

    install_parser = commands.add_parser("install", help="download and unpack the packages")
    install_parser.add_argument("dir", help="where to put downloads/ and packages/")
    install_parser.add_argument(
        "--set", choices=list(PACKAGE_SETS), default="first", help="which packages (default: first)"
    )
    install_parser.set_defaults(run=install)

    sample_parser = commands.add_parser("sample", help="run edgelint and write the review sheet")
    sample_parser.add_argument("dir", help="the folder given to `install`")
    sample_parser.add_argument("--per-rule", type=int, default=15, help="findings sampled per rule")
    sample_parser.add_argument("--seed", type=int, default=17, help="seed of the random sample")
    sample_parser.add_argument(
        "--pedantic", action="store_true", help="review only the findings --pedantic adds"
    )
    sample_parser.add_argument("--out", help="Markdown file to write (and FILE.json beside it)")
    sample_parser.add_argument("--binary", default=str(DEFAULT_BINARY), help="edgelint to run")
    sample_parser.set_defaults(run=sample)

    args = parser.parse_args()
    args.run(args)


if __name__ == "__main__":
    main()
