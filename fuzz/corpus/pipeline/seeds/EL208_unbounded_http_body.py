"""EL208 unbounded-http-body: marked lines must fire, all others must stay silent."""
import shutil
import urllib.request
import xml.etree.ElementTree as ET
from urllib.request import urlopen

import httpx
import requests


# --- Must fire -------------------------------------------------------------------------------


# ETL step: the whole download is held in memory before it is written out.
def download_firmware(url, path):
    blob = requests.get(url, timeout=30).content  # error: EL208
    with open(path, "wb") as out:
        out.write(blob)


# Request handler: the upstream JSON body is decoded in one piece.
def proxy_listing(request, upstream):
    resp = requests.get(upstream, params=request.args, timeout=10)
    return resp.json()  # error: EL208


# A POST whose whole text body is returned.
def submit_form(url, fields):
    resp = requests.post(url, data=fields, timeout=10)
    return resp.text  # error: EL208


# PUT, then the body is read whole.
def replace_document(url, document):
    resp = requests.put(url, json=document, timeout=10)
    return len(resp.content)  # error: EL208


# PATCH and DELETE responses are responses too.
def patch_then_delete(url, changes):
    patched = requests.patch(url, json=changes, timeout=10)
    print(patched.json())  # error: EL208
    removed = requests.delete(url, timeout=10)
    return removed.text  # error: EL208


# requests.request(...) with an explicit method.
def generic_call(method, url):
    resp = requests.request(method, url, timeout=10)
    return resp.content  # error: EL208


# requests.head(...) is a response as well.
def probe(url):
    resp = requests.head(url, timeout=5)
    return resp.text  # error: EL208


# stream=True does not help once .content reads everything anyway.
def stream_then_slurp(url):
    resp = requests.get(url, stream=True, timeout=10)
    return resp.content  # error: EL208


# httpx: the response decoded straight from the call.
def fetch_config(url):
    return httpx.get(url, timeout=10).json()  # error: EL208


# httpx.post with the body read through a local.
def translate(url, text):
    resp = httpx.post(url, json={"q": text}, timeout=10)
    return resp.text  # error: EL208


# urllib: the whole body read straight from urlopen.
def fetch_page(url):
    return urllib.request.urlopen(url).read()  # error: EL208


# urllib through `from urllib.request import urlopen`.
def fetch_feed(url):
    resp = urlopen(url, timeout=10)
    return resp.read()  # error: EL208


# urllib in a with statement.
def fetch_report(url, path):
    with urllib.request.urlopen(url) as resp:
        data = resp.read()  # error: EL208
    with open(path, "wb") as out:
        out.write(data)


# While loop: pagination decodes every page in full.
def fetch_all_pages(url):
    items = []
    while url:
        resp = requests.get(url, timeout=10)
        page = resp.json()  # error: EL208
        items.extend(page["items"])
        url = page.get("next")
    return items


# Nested loops: each file of each bucket is downloaded whole.
def mirror(buckets, store):
    for bucket in buckets:
        for key in bucket.keys:
            store.put(key, requests.get(bucket.url_for(key), timeout=30).content)  # error: EL208


# Iterating the decoded body still decodes it all first.
def import_users(url, db):
    resp = requests.get(url, timeout=10)
    for user in resp.json():  # error: EL208
        db.insert(user)
