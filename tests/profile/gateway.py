"""A gateway that checks a recording of sensor frames and its event log: wasteful in three ways."""

import sys


def read_frames(frames_path):
    with open(frames_path, "rb") as frames:
        return frames.read()


def checksum(frames_path):
    return sum([byte for byte in read_frames(frames_path)])


def first_frame(payload):
    return payload.split(b"\n")[0]


def newest_event(log_path):
    with open(log_path) as log:
        return sorted([line for line in log.readlines() if line])[-1]


def main(frames_path, log_path):
    print(checksum(frames_path))
    print(len(first_frame(read_frames(frames_path))))
    print(newest_event(log_path))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
