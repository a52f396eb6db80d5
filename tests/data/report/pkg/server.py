import time

from .loader import load


def serve(data_path, out):
    data = load(data_path)
    out.write(data)
    while True:
        time.sleep(1)


def total(data_path):
    return sum([len(line) for line in open(data_path).read().splitlines()])


def spread(data_path):
    text = open(data_path).read()
    words = text.split()
    # Lines between the evidence and the finding are left out of the picture.
    count = 0
    for word in words:
        count += 1
    return sum(
        [
            len(word)
            for word in text.split()
        ]
    )


def unknown(items):
    return sum([item.size for item in items])
