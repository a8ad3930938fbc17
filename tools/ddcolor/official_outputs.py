#!/usr/bin/env python3
"""Colorizes photos with the official DDColor pipeline, for Chroma402's fidelity tests.

    /usr/bin/python3 tools/ddcolor/official_outputs.py --repo ../DDColor --architecture tiny \
        --checkpoint /tmp/ddcolor_paper_tiny.pth --input-size 512 --output DIR PHOTO...

Needs Debian's python3-torch and python3-opencv and a checkout of github.com/piddnad/DDColor. It
builds the official network, loads the checkpoint with the official `load_checkpoint_state_dict`
(strictly: a key that does not match stops it), and runs the official `ColorizationPipeline` on
each photo as `cv2.imread` reads it, writing `<photo>-<architecture>-<input size>.png`.
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import official  # noqa: E402


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    official.add_pipeline_arguments(p)
    p.add_argument("--output", required=True)
    p.add_argument("photos", nargs="+")
    args = p.parse_args()

    import cv2
    import torch

    torch.set_num_threads(os.cpu_count() or 1)
    pipeline = official.pipeline(args.repo, args.architecture, args.checkpoint, args.input_size)
    os.makedirs(args.output, exist_ok=True)
    for photo in args.photos:
        image = cv2.imread(photo)
        out = pipeline.process(image)
        name = "%s-%s-%d.png" % (os.path.splitext(os.path.basename(photo))[0], args.architecture, args.input_size)
        cv2.imwrite(os.path.join(args.output, name), out)
        print("wrote", name)


if __name__ == "__main__":
    main()
