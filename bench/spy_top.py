"""Summarise py-spy collapsed stacks (``--format raw``): where the server spends its samples.

    .venv/bin/python bench/spy_top.py /tmp/prof/live-200.txt [--self] [--match PATTERN] [-n 40]
"""

from __future__ import annotations

import argparse
import re
from collections import Counter


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("file")
    ap.add_argument("-n", type=int, default=40)
    ap.add_argument("--self", action="store_true", help="count the innermost frame only")
    ap.add_argument("--match", help="only stacks that contain this regex")
    ap.add_argument("--idle", action="store_true", help="keep idle samples (waiting threads)")
    args = ap.parse_args()
    total, counts = 0, Counter()
    for line in open(args.file, encoding="utf-8", errors="replace"):
        stack, _, n = line.rstrip("\n").rpartition(" ")
        if not n.isdigit():
            continue
        n = int(n)
        if args.match and not re.search(args.match, stack):
            continue
        frames = stack.split(";")
        if not args.idle and frames and re.search(r"\b(wait|select|poll|epoll|_worker|sleep|acquire)\b", frames[-1]):
            continue
        total += n
        if args.self:
            counts[frames[-1]] += n
        else:
            for frame in set(frames):
                counts[frame] += n
    print(f"{total} samples")
    for frame, n in counts.most_common(args.n):
        print(f"{100 * n / max(total, 1):6.1f}%  {frame[:160]}")


if __name__ == "__main__":
    main()
