"""EL209 whole-file-read: marked lines must fire, all others must stay silent."""
import hashlib
import json
import re
import time
from pathlib import Path


# --- Must fire -------------------------------------------------------------------------------


# Not reported here: `.read().splitlines()` in a loop is EL203's (one construct, one finding).
def load_events(path, sink):
    for line in open(path).read().splitlines():
        sink.write(line)


# Word split straight off a file object opened in a with statement.
def index_words(path, index):
    with open(path) as f:
        for word in f.read().split():  # error: EL209
            index.add(word)


# Not reported here: EL203 reports `read_text().splitlines()` as a comprehension source.
def non_blank_lines(path):
    return [line for line in Path(path).read_text().splitlines() if line.strip()]


# An iterating consumer over the raw bytes.
def byte_checksum(path):
    return sum(Path(path).read_bytes()) & 0xFFFF  # error: EL209


# set() over the split content.
def vocabulary(path):
    return set(Path(path).read_text(encoding="utf-8").split())  # error: EL209


# Request handler: the text is only scanned with an `in` test.
def log_has_errors(request):
    text = Path(request.args["log"]).read_text()  # error: EL209
    return "ERROR" in text


# Report generator: the content is only counted.
def count_lines(path):
    with open(path, "rb") as f:
        data = f.read()  # error: EL209
    return data.count(b"\n")


# Scanned with find().
def header_offset(path):
    text = Path(path).read_text()  # error: EL209
    return text.find("BEGIN")


# Checked with startswith().
def is_pdf(path):
    blob = Path(path).read_bytes()  # error: EL209
    return blob.startswith(b"%PDF")


# Every read is a scan: an `in` test and a count.
def summarize_log(path):
    text = Path(path).read_text()  # error: EL209
    if "WARN" in text:
        return text.count("\n")
    return 0


# Passed to re.search.
def find_version(path):
    text = Path(path).read_text()  # error: EL209
    return re.search(r"version=(\S+)", text)


# re.findall over the whole content.
def all_numbers(path):
    content = open(path).read()  # error: EL209
    return re.findall(r"\d+", content)


# re.finditer feeding a loop.
def list_links(path, out):
    html = open(path, encoding="utf-8").read()  # error: EL209
    for match in re.finditer(r'href="([^"]+)"', html):
        out.write(match.group(1))


# splitlines() on a local, feeding a loop.
def forward_lines(path, sink):
    with open(path) as f:
        body = f.read()  # error: EL209
    for line in body.splitlines():
        sink.write(line)


# async def: the content is split into lines and each is awaited on.
async def upload_lines(path, client):
    text = Path(path).read_text()  # error: EL209
    for line in text.splitlines():
        await client.send(line)


class LogScanner:
    # A method: the file is read whole only to count a marker.
    def errors(self):
        with open(self.log_path) as f:
            text = f.read()  # error: EL209
        return text.count("ERROR")


# While loop: a status file re-read whole each time only to test for a word.
def wait_until_done(status_path):
    while True:
        status = Path(status_path).read_text()  # error: EL209
        if "done" in status:
            return
        time.sleep(1)
