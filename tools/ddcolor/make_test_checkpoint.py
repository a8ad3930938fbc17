#!/usr/bin/env python3
"""Writes a DDColor checkpoint with seeded random weights, saved the way the authors' files are.

    /usr/bin/python3 tools/ddcolor/make_test_checkpoint.py --architecture tiny --seed 1 \
        --format pth --output /tmp/ddcolor_paper_tiny.pth

Needs Debian's python3-torch (torch.save writes the file) and numpy; not the official code: the
keys and shapes come from the manifest that tools/ddcolor/export_graphs.py wrote from it. The same
seed gives the same weights on any machine (numpy's PCG64 stream), which is what lets the tests
compare Chroma402's output with the official pipeline's output computed once from the same file.

Formats, as the official repositories hold them:
  pth          torch.save({"params": state_dict})   piddnad/DDColor-models (*.pth)
  bin          torch.save(state_dict)               piddnad/ddcolor_* (pytorch_model.bin)
  safetensors  the safetensors layout (written here: Debian packages no safetensors library)

The values are shaped like a trained network's rather than like a fresh initialisation (whose
ConvNeXt layer scales of 1e-6 and unconverged spectral norms give flat, meaningless output):
weights ~ N(0, 1/fan_in), norm scales near 1, layer scales near 0.1, spectral-norm vectors from
power iteration on their weights, and a last layer scaled so that ab spans tens of units.
"""
import argparse
import collections
import json
import os
import struct

GRAPHS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "colorize", "src", "main",
                      "resources", "org", "chroma402", "colorize", "graphs")


OUTPUT_GAIN_INVERSE = 1.0 / 60


def weights(manifest, seed):
    import numpy as np

    rng = np.random.default_rng(seed)
    shapes = collections.OrderedDict()
    for t in manifest["tensors"]:
        shapes[t["key"]] = ("float32", t["shape"])
    for t in manifest["unused"]:
        shapes[t["key"]] = (t["dtype"], t["shape"])
    out = collections.OrderedDict()

    def normal(shape, std):
        return (rng.standard_normal(int(np.prod(shape)) if shape else 1, dtype=np.float32) * np.float32(std)).reshape(shape)

    for key in sorted(shapes):  # a fixed order, whatever order the manifest lists
        dtype, shape = shapes[key]
        name = key.rsplit(".", 1)[-1]
        if dtype != "float32":
            out[key] = np.zeros(shape, dtype=np.int64)
        elif key == "mean":
            out[key] = np.array([0.485, 0.456, 0.406], dtype=np.float32).reshape(shape)
        elif key == "std":
            out[key] = np.array([0.229, 0.224, 0.225], dtype=np.float32).reshape(shape)
        elif name in ("weight_u", "weight_v"):
            continue  # from their weight, below
        elif name == "running_var":
            out[key] = rng.uniform(0.5, 1.5, size=shape).astype(np.float32)
        elif name == "gamma":
            out[key] = (0.1 + normal(shape, 0.02)).astype(np.float32)
        elif len(shape) >= 2:
            fan_in = int(np.prod(shape[1:]))
            out[key] = normal(shape, 1.0 / np.sqrt(fan_in))
        elif name in ("weight",):
            out[key] = (1.0 + normal(shape, 0.1)).astype(np.float32)
        else:
            out[key] = normal(shape, 0.02)
    for key in sorted(shapes):
        if key.endswith(".weight_u"):
            prefix = key[: -len("_u")]
            w = out[prefix + "_orig"].astype(np.float64).reshape(shapes[key][1][0], -1)
            v = rng.standard_normal(w.shape[1])
            v /= np.linalg.norm(v)
            for _ in range(30):
                u = w @ v
                u /= np.linalg.norm(u)
                v = w.T @ u
                v /= np.linalg.norm(v)
            if key.startswith("refine_net."):
                # The last layer maps features to ab; a spectral norm of 1 leaves ab below one unit,
                # colourless. A shorter u divides by a smaller sigma: ab of real photos' range.
                u *= OUTPUT_GAIN_INVERSE
            out[key] = u.astype(np.float32)
            out[prefix + "_v"] = v.astype(np.float32)
    return collections.OrderedDict((k, out[k]) for k in shapes)


def save_safetensors(state, path):
    header = {}
    offset = 0
    for key, value in state.items():
        kind = {"float32": "F32", "float64": "F64", "float16": "F16", "int64": "I64"}[str(value.dtype)]
        header[key] = {"dtype": kind, "shape": list(value.shape), "data_offsets": [offset, offset + value.nbytes]}
        offset += value.nbytes
    header["__metadata__"] = {"format": "pt"}
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for value in state.values():
            f.write(value.astype(value.dtype.newbyteorder("<")).tobytes())


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--architecture", choices=["tiny", "large"], required=True)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--format", choices=["pth", "bin", "safetensors"], required=True)
    p.add_argument("--output", required=True)
    p.add_argument("--graphs", default=GRAPHS, help="folder of the manifests (default: the committed ones)")
    args = p.parse_args()

    with open(os.path.join(args.graphs, "ddcolor-%s.json" % args.architecture)) as f:
        manifest = json.load(f)
    state = weights(manifest, args.seed)
    os.makedirs(os.path.dirname(os.path.abspath(args.output)), exist_ok=True)
    part = args.output + ".part"
    if args.format == "safetensors":
        save_safetensors(state, part)
    else:
        import torch

        tensors = collections.OrderedDict((k, torch.from_numpy(v)) for k, v in state.items())
        torch.save({"params": tensors} if args.format == "pth" else tensors, part)
    os.replace(part, args.output)
    print("wrote %s (%d tensors, %d MB)" % (args.output, len(state), os.path.getsize(args.output) >> 20))


if __name__ == "__main__":
    main()
