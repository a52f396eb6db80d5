"""EL107 split-for-one-part: marked lines must fire, all others must stay silent."""
import asyncio
import os
import posixpath
import re
import re as regex
import shlex


# --- Must fire -------------------------------------------------------------------------------


# The first field of a CSV line: every other field is split out for nothing.
def first_field(line):
    return line.split(",")[0]  # error: EL107


# The last field of a CSV line.
def last_field(line):
    return line.split(",")[-1]  # error: EL107


# The value of a `key=value` pair in a config loader.
def config_value(entry):
    value = entry.split("=")[1]  # error: EL107
    return value.strip()


# The first word, split on whitespace.
def command_name(text):
    return text.split()[0]  # error: EL107


# The last word, split on whitespace.
def last_word(sentence):
    return sentence.split()[-1]  # error: EL107


# The file name after the last slash, with rsplit.
def basename(url_path):
    return url_path.rsplit("/")[-1]  # error: EL107


# The part before the first dot, with rsplit and no maxsplit.
def stem(filename):
    return filename.rsplit(".")[0]  # error: EL107


# sep given as a keyword is still an explicit separator.
def host_of(address):
    return address.split(sep=":")[0]  # error: EL107


# The separator is a variable.
def head(record, sep):
    return record.split(sep)[0]  # error: EL107


# The receiver is an attribute, in a method.
class Request:
    def __init__(self, content_type, headers):
        self.content_type = content_type
        self.headers = headers

    def mime_type(self):
        return self.content_type.split(";")[0]  # error: EL107

    # The receiver is a subscript: a bearer token from a header.
    def token(self):
        return self.headers["Authorization"].split(" ")[1]  # error: EL107


# The receiver is a call on a module: the split itself is a str method.
def extension_free_name(path):
    return os.path.basename(path).split(".")[0]  # error: EL107


# The receiver is a method chain.
def second_column(line):
    return line.strip().split("\t")[1]  # error: EL107


# bytes split the same way.
def status_line(response_bytes):
    return response_bytes.split(b"\r\n")[0]  # error: EL107


# Inside a comprehension of a data pipeline.
def ids(lines):
    return [line.split(",")[0] for line in lines]  # error: EL107


# Inside a for loop of a log parser.
def levels(log_lines):
    counts = {}
    for entry in log_lines:
        level = entry.split("|")[1]  # error: EL107
        counts[level] = counts.get(level, 0) + 1
    return counts


# Inside a while loop reading a socket line by line.
def read_commands(conn):
    names = []
    while True:
        line = conn.readline()
        if not line:
            break
        names.append(line.split()[0])  # error: EL107
    return names


# In an async handler, after an await.
async def handle(reader):
    raw = await reader.readline()
    await asyncio.sleep(0)
    return raw.decode().split(" ")[1]  # error: EL107


# Spread over several lines: the finding is where the expression starts.
def scheme(url):
    return url.split(  # error: EL107
        "://"
    )[0]


# Two on one line.
def bounds(span):
    return span.split("-")[0], span.split("-")[-1]  # error: EL107, EL107


# A local variable named like a module is not a module.
def leaf(path):
    return path.split("/")[-1]  # error: EL107
