#!/usr/bin/env python3
"""Builds models/slow-test.onnx: DDColor's inputs and outputs at 256x256, deliberately slow.

A paid job has to be caught while it runs (a replica killed mid-job, a worker dying mid-run), so the
fleet tests need a model that takes about a second on a small machine: a chain of 3x3 convolutions
that share one small weight, so the file stays tiny. Run with Debian's python3-onnx and python3-numpy:

    /usr/bin/python3 colorize/src/test/python/make_slow_model.py [LAYERS]
"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "resources", "models", "slow-test.onnx")


def main():
    layers = int(sys.argv[1]) if len(sys.argv) > 1 else 96
    size, channels = 256, 48
    rng = np.random.RandomState(1402)
    w_in = (rng.randn(channels, 3, 3, 3) * 0.5).astype(np.float32)
    w_mid = (rng.randn(channels, channels, 3, 3) * (1.0 / (3 * np.sqrt(channels)))).astype(np.float32)
    w_out = (rng.randn(2, channels, 3, 3) * 0.2).astype(np.float32)
    scale = np.array([20.0], dtype=np.float32)
    nodes = [helper.make_node("Conv", ["input", "w_in"], ["h0"], kernel_shape=[3, 3], pads=[1, 1, 1, 1])]
    for i in range(layers):
        nodes.append(helper.make_node("Conv", ["h%d" % i, "w_mid"], ["c%d" % i], kernel_shape=[3, 3], pads=[1, 1, 1, 1]))
        nodes.append(helper.make_node("Tanh", ["c%d" % i], ["h%d" % (i + 1)]))
    nodes.append(helper.make_node("Conv", ["h%d" % layers, "w_out"], ["o"], kernel_shape=[3, 3], pads=[1, 1, 1, 1]))
    nodes.append(helper.make_node("Mul", ["o", "scale"], ["output"]))
    graph = helper.make_graph(
        nodes, "chroma402_slow_test",
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, [1, 3, size, size])],
        [helper.make_tensor_value_info("output", TensorProto.FLOAT, [1, 2, size, size])],
        [numpy_helper.from_array(w_in, "w_in"), numpy_helper.from_array(w_mid, "w_mid"),
         numpy_helper.from_array(w_out, "w_out"), numpy_helper.from_array(scale, "scale")])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 12)], producer_name="chroma402")
    model.ir_version = 7
    onnx.checker.check_model(model)
    onnx.save(model, OUT)
    print("wrote", OUT, os.path.getsize(OUT), "bytes,", layers, "layers")


if __name__ == "__main__":
    main()
