#!/usr/bin/env python3
"""Writes models/tiny-test-any-size.onnx: DDColor's inputs and outputs with batch, height and width
all dynamic, as the official graphs have them (a 1x1 convolution from grey RGB to ab and a tanh,
so outputs depend on the input and differ with the render size). Debian's python3-onnx.

    cd colorize/src/test/resources/models && /usr/bin/python3 ../../python/make_any_size_model.py
"""
import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

weights = numpy_helper.from_array(np.array([[[[0.9]], [[-0.4]], [[0.3]]], [[[-0.5]], [[0.2]], [[0.7]]]], dtype=np.float32), "w")
bias = numpy_helper.from_array(np.array([-0.3, 0.2], dtype=np.float32), "b")
scale = numpy_helper.from_array(np.array(60.0, dtype=np.float32), "scale")
graph = helper.make_graph(
    [helper.make_node("Conv", ["input", "w", "b"], ["c"]), helper.make_node("Tanh", ["c"], ["t"]),
     helper.make_node("Mul", ["t", "scale"], ["output"])],
    "any-size-test",
    [helper.make_tensor_value_info("input", TensorProto.FLOAT, ["batch", 3, "height", "width"])],
    [helper.make_tensor_value_info("output", TensorProto.FLOAT, ["batch", 2, "height", "width"])],
    [weights, bias, scale])
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], producer_name="chroma402 tests")
model.ir_version = 8
onnx.checker.check_model(model)
onnx.save(model, "tiny-test-any-size.onnx")
