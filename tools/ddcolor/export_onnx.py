#!/usr/bin/env python3
"""Exports official DDColor weights to one complete ONNX file (weights inside, fixed input size).

Chroma402 does not need this: `chroma402 models pull|import` fills the bundled weightless graphs
from the checkpoint directly. It is for other ONNX runtimes, or to pin a single file.

Run it with PyTorch installed, inside (or pointing at) a checkout of the official DDColor
repository (github.com/piddnad/DDColor, Apache-2.0), whose model code it imports:

    /usr/bin/python3 tools/ddcolor/export_onnx.py --repo ../DDColor --weights ddcolor_modelscope.pth \
        --size large --output data/models/ddcolor_large.onnx
    /usr/bin/python3 tools/ddcolor/export_onnx.py --repo ../DDColor --weights ddcolor_paper_tiny.pth \
        --size tiny --output data/models/ddcolor_tiny.onnx

Unlike the official export script, it loads the weights strictly: a key that does not match
stops the export instead of silently leaving random weights in the network. The result takes
`input` (1, 3, S, S) grey RGB in [0, 1] and gives `output` (1, 2, S, S), opset 12.
"""
import argparse
import hashlib
import os
import sys


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--repo", required=True, help="checkout of github.com/piddnad/DDColor")
    p.add_argument("--weights", required=True, help=".pth (or pytorch_model.bin) with the official weights")
    p.add_argument("--size", choices=["large", "tiny"], required=True)
    p.add_argument("--output", required=True)
    p.add_argument("--input-size", type=int, default=512)
    args = p.parse_args()

    import torch  # imported here so that --help works without PyTorch

    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import official

    ddcolor = official.load(args.repo)
    model = official.build(ddcolor, args.size, args.input_size)
    state = ddcolor.load_checkpoint_state_dict(args.weights)
    result = model.load_state_dict(state, strict=False)
    if result.missing_keys or result.unexpected_keys:
        sys.exit("weights do not match the %s architecture:\n  missing: %s\n  unexpected: %s"
                 % (args.size, result.missing_keys[:10], result.unexpected_keys[:10]))
    model.eval()
    dummy = torch.rand(1, 3, args.input_size, args.input_size)
    os.makedirs(os.path.dirname(os.path.abspath(args.output)), exist_ok=True)
    torch.onnx.export(model, dummy, args.output, opset_version=12, input_names=["input"], output_names=["output"])
    digest = hashlib.sha256(open(args.output, "rb").read()).hexdigest()
    print("wrote %s (sha256 %s); pin it with models.%s.sha256" % (args.output, digest, args.size))


if __name__ == "__main__":
    main()
