#!/usr/bin/env python3
"""Times the official DDColor pipeline end to end on one photo, the baseline for Chroma402's speed.

    /usr/bin/python3 tools/ddcolor/bench_official.py --repo /tmp/DDColor --architecture tiny \
        --checkpoint tiny.pth --threads 2 -n 3 photo.jpg

Builds the official network, loads the checkpoint with the official loader and times
`ColorizationPipeline.process` on the photo as `cv2.imread` reads it (resize, lightness, model,
upsampling, Lab to BGR), after one warm-up. Prints one line: `official <arch> median_ms <ms>`.
"""
import argparse
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import official  # noqa: E402


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    official.add_pipeline_arguments(p)
    p.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    p.add_argument("-n", type=int, default=3)
    p.add_argument("photo")
    args = p.parse_args()

    import cv2
    import torch

    torch.set_num_threads(args.threads)
    pipeline = official.pipeline(args.repo, args.architecture, args.checkpoint, args.input_size)
    image = cv2.imread(args.photo)
    with torch.no_grad():
        pipeline.process(image)
        times = []
        for _ in range(args.n):
            t0 = time.perf_counter()
            pipeline.process(image)
            times.append((time.perf_counter() - t0) * 1000)
    print("official %s median_ms %.1f" % (args.architecture, statistics.median(times)))


if __name__ == "__main__":
    main()
