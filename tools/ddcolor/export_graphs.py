#!/usr/bin/env python3
"""Exports the official DDColor-T and DDColor-L networks as ONNX graphs without their weights.

    /usr/bin/python3 tools/ddcolor/export_graphs.py --repo ../DDColor \
        --output colorize/src/main/resources/org/chroma402/colorize/graphs

Needs Debian's python3-torch and python3-onnx and a checkout of github.com/piddnad/DDColor, whose
model code it runs. For each size it writes `ddcolor-<size>.onnx` and `ddcolor-<size>.json`:

- the graph takes `input` (N, 3, H, W) grey RGB in [0, 1] and gives `output` (N, 2, H, W) ab;
  batch, height and width are dynamic (the official pipeline renders squares of 256 to 1024);
- every initializer that is a state-dict entry keeps the state-dict key as its name and is stored
  as external data in `weights.bin` at an offset the manifest lists, so Chroma402 fills the graph
  from an official checkpoint by writing that one file; the few constants that are not weights
  (shapes, the position encoding's scalars) stay inside the graph;
- the manifest names each weight with its shape, offset and length, and the state-dict entries
  the graph does not use (a checkpoint may carry them; nothing reads them).

Exported without constant folding: folding would merge weights into new, unnamed constants. ONNX
Runtime folds them at session start instead. The weights used for tracing are random and thrown
away; the Java tests check the graphs, filled from checkpoints, against the official pipeline.
"""
import argparse
import hashlib
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import official  # noqa: E402

ALIGN = 64
WEIGHTS_FILE = "weights.bin"


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--repo", required=True, help="checkout of github.com/piddnad/DDColor")
    p.add_argument("--output", required=True, help="folder for the graphs and manifests")
    p.add_argument("--size", choices=["tiny", "large", "both"], default="both")
    args = p.parse_args()

    import numpy as np
    import onnx
    import torch
    from onnx import numpy_helper
    from onnx.external_data_helper import set_external_data

    torch.manual_seed(0)
    ddcolor = official.load(args.repo)
    try:
        revision = subprocess.run(["git", "-C", args.repo, "rev-parse", "--short", "HEAD"], capture_output=True,
                                  text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        revision = "unknown"
    os.makedirs(args.output, exist_ok=True)
    for size in (["tiny", "large"] if args.size == "both" else [args.size]):
        model = official.build(ddcolor, size)
        state = model.state_dict()
        # The exporter merges initializers with equal values (every zero-initialised bias of one
        # width would become one tensor); distinct random values keep one initializer per key.
        with torch.no_grad():
            for value in state.values():
                if value.is_floating_point():
                    value.uniform_(-0.01, 0.01)
        path = os.path.join(args.output, "ddcolor-%s.onnx" % size)
        dummy = torch.rand(1, 3, 512, 512)
        axes = {0: "batch", 2: "height", 3: "width"}
        with torch.no_grad():
            torch.onnx.export(model, dummy, path, opset_version=17, do_constant_folding=False,
                              input_names=["input"], output_names=["output"],
                              dynamic_axes={"input": axes, "output": axes})
        graph_model = onnx.load(path)
        check_against_torch(model, path, [256, 384])

        tensors = []
        offset = 0
        used = set()
        for init in graph_model.graph.initializer:
            if init.name not in state:
                continue
            expected = state[init.name]
            array = numpy_helper.to_array(init)
            if list(array.shape) != list(expected.shape) or array.dtype != np.float32:
                sys.exit("initializer %s is %s %s, the state dict has %s %s" % (
                    init.name, array.dtype, array.shape, expected.dtype, tuple(expected.shape)))
            length = array.size * 4
            offset = (offset + ALIGN - 1) // ALIGN * ALIGN
            if not init.HasField("raw_data"):
                init.raw_data = array.tobytes()
                del init.float_data[:]
            set_external_data(init, location=WEIGHTS_FILE, offset=offset, length=length)
            init.ClearField("raw_data")
            init.data_location = onnx.TensorProto.EXTERNAL
            tensors.append({"key": init.name, "shape": list(array.shape), "offset": offset, "length": length})
            used.add(init.name)
            offset += length
        unused = [{"key": k, "shape": list(v.shape), "dtype": str(v.dtype).replace("torch.", "")}
                  for k, v in state.items() if k not in used]
        for entry in unused:
            if entry["dtype"].startswith("float") and not entry["key"].endswith("num_batches_tracked"):
                print("note: %s %s is not used by the graph" % (entry["key"], entry["shape"]))
        graph_model.producer_name = "chroma402 tools/ddcolor/export_graphs.py"
        graph_model.doc_string = ("DDColor-%s (%s), official architecture from github.com/piddnad/DDColor at %s, "
                                  "weights external in %s" % ("L" if size == "large" else "T",
                                                              official.ENCODERS[size], revision, WEIGHTS_FILE))
        onnx.save(graph_model, path)
        data = open(path, "rb").read()
        manifest = {
            "format": 1,
            "architecture": "ddcolor-" + size,
            "encoder": official.ENCODERS[size],
            "settings": official.ARCHITECTURE,
            "official_revision": revision,
            "graph": os.path.basename(path),
            "graph_sha256": hashlib.sha256(data).hexdigest(),
            "weights_file": WEIGHTS_FILE,
            "weights_bytes": offset,
            "alignment": ALIGN,
            "tensors": tensors,
            "unused": unused,
        }
        with open(os.path.join(args.output, "ddcolor-%s.json" % size), "w") as f:
            json.dump(manifest, f, indent=1)
            f.write("\n")
        print("%s: graph %d KB, %d weights (%d MB), %d unused state-dict entries" % (
            size, len(data) // 1024, len(tensors), offset // (1 << 20), len(unused)))


def check_against_torch(model, path, sizes):
    """The exported graph, with the tracing weights still inside, against PyTorch at other sizes."""
    import numpy as np
    import onnx
    import torch

    try:
        import onnxruntime as ort
    except ImportError:
        ort = None
    if ort is None:
        print("note: onnxruntime for Python is not installed; the Java tests check the graph instead")
        return
    session = ort.InferenceSession(path)
    for s in sizes:
        x = torch.rand(1, 3, s, s)
        with torch.no_grad():
            want = model(x).numpy()
        got = session.run(None, {"input": x.numpy()})[0]
        err = float(np.abs(want - got).max())
        print("  %dx%d: max |onnx - torch| = %.2e" % (s, s, err))


if __name__ == "__main__":
    main()
