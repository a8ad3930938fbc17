#!/usr/bin/env python3
"""Builds the colorize module's test models and reference outputs.

Run with Debian's packages (python3-onnx, python3-opencv, python3-numpy):

    /usr/bin/python3 colorize/src/test/python/make_fixtures.py

It writes, under colorize/src/test/resources:

* models/tiny-test.onnx         input "input" (1,3,64,64) -> output "output" (1,2,64,64), like DDColor
* models/tiny-test-dynamic.onnx the same network with a dynamic batch axis
* models/tiny-test-48.onnx      the same at 48x48, to prove the input size is read from the model
* fixtures/inputs/*.png         small greyscale photos (crops of shared/test-images) and synthetic cases
* fixtures/expected/*.png       what DDColor's official inference produces for them with tiny-test.onnx
* fixtures/opencv/*.bin         OpenCV's own results for its colour conversions and resize, to pin the
                                Java re-implementation bit for bit (little-endian raw arrays)

The reference follows DDColor's ColorizationPipeline.process step by step, with OpenCV for the
colour conversions and the resize, OpenCV's DNN module to run the ONNX model (an implementation
independent of ONNX Runtime), and PyTorch's nearest-neighbour index rule written out in numpy.
"""
import os
import sys

import cv2
import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
RES = os.path.join(HERE, "..", "resources")
SHARED = os.path.join(HERE, "..", "..", "..", "..", "..", "shared", "test-images")


def tiny_model(size, dynamic_batch):
    """Conv(3->8, 3x3) -> Tanh -> Conv(8->2, 3x3) -> x10: spatially varying ab in Lab units."""
    rng = np.random.RandomState(402)
    w1 = (rng.randn(8, 3, 3, 3) * 1.5).astype(np.float32)
    b1 = (rng.randn(8) * 0.2).astype(np.float32)
    w2 = (rng.randn(2, 8, 3, 3) * 0.4).astype(np.float32)
    b2 = (rng.randn(2) * 0.02).astype(np.float32)
    scale = np.array([10.0], dtype=np.float32)
    batch = "batch" if dynamic_batch else 1
    graph = helper.make_graph(
        [
            helper.make_node("Conv", ["input", "w1", "b1"], ["h1"], kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
            helper.make_node("Tanh", ["h1"], ["h2"]),
            helper.make_node("Conv", ["h2", "w2", "b2"], ["h3"], kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
            helper.make_node("Mul", ["h3", "scale"], ["output"]),
        ],
        "chroma402_tiny_test",
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, [batch, 3, size, size])],
        [helper.make_tensor_value_info("output", TensorProto.FLOAT, [batch, 2, size, size])],
        [numpy_helper.from_array(w1, "w1"), numpy_helper.from_array(b1, "b1"),
         numpy_helper.from_array(w2, "w2"), numpy_helper.from_array(b2, "b2"),
         numpy_helper.from_array(scale, "scale")],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 12)], producer_name="chroma402")
    model.ir_version = 7
    onnx.checker.check_model(model)
    return model


def nearest_indices(in_size, out_size):
    """PyTorch's F.interpolate(mode='nearest') source index rule, in float32 as PyTorch computes it."""
    if out_size == in_size:
        return np.arange(out_size)
    if out_size == 2 * in_size:
        return np.arange(out_size) >> 1
    scale = np.float32(in_size) / np.float32(out_size)
    idx = np.floor(np.arange(out_size, dtype=np.float32) * scale).astype(np.int64)
    return np.minimum(idx, in_size - 1)


def reference(bgr, net, size):
    """DDColor's ColorizationPipeline.process, step by step."""
    height, width = bgr.shape[:2]
    img = (bgr / 255.0).astype(np.float32)
    orig_l = cv2.cvtColor(img, cv2.COLOR_BGR2Lab)[:, :, :1]
    img = cv2.resize(img, (size, size))
    img_l = cv2.cvtColor(img, cv2.COLOR_BGR2Lab)[:, :, :1]
    img_gray_lab = np.concatenate((img_l, np.zeros_like(img_l), np.zeros_like(img_l)), axis=-1)
    img_gray_rgb = cv2.cvtColor(img_gray_lab, cv2.COLOR_LAB2RGB)
    tensor = img_gray_rgb.transpose((2, 0, 1))[np.newaxis].astype(np.float32)
    net.setInput(tensor)
    output_ab = net.forward()  # (1, 2, size, size)
    rows = nearest_indices(size, height)
    cols = nearest_indices(size, width)
    ab = output_ab[0][:, rows][:, :, cols].transpose(1, 2, 0)
    output_lab = np.concatenate((orig_l, ab), axis=-1)
    output_bgr = cv2.cvtColor(output_lab, cv2.COLOR_LAB2BGR)
    return (output_bgr * 255.0).round().astype(np.uint8)


def inputs():
    """Small greyscale inputs: crops of real photos at awkward sizes, plus synthetic edge cases."""
    out = {}
    photos = [("buffalo", "buffalo-1908.jpg", (120, 90)), ("keller", "keller-chaplin-1919.jpg", (77, 53)),
              ("nipomo", "nipomo-1936.jpg", (50, 62)), ("detroit", "detroit-1915.jpg", (200, 111))]
    for name, file, (w, h) in photos:
        src = cv2.imread(os.path.join(SHARED, file), cv2.IMREAD_GRAYSCALE)
        if src is None:
            sys.exit("cannot read " + file + " from " + SHARED)
        small = cv2.resize(src, (w, h), interpolation=cv2.INTER_AREA)
        out[name] = cv2.cvtColor(small, cv2.COLOR_GRAY2BGR)
    x = np.linspace(0, 255, 97)
    gradient = np.tile(x, (31, 1)).round().astype(np.uint8)
    out["gradient"] = cv2.cvtColor(gradient, cv2.COLOR_GRAY2BGR)
    out["tiny"] = cv2.cvtColor(np.array([[0, 255, 128], [64, 32, 200]], dtype=np.uint8), cv2.COLOR_GRAY2BGR)
    return out


def opencv_fixtures(out):
    """Raw OpenCV outputs for the conversions the pipeline re-implements."""
    os.makedirs(out, exist_ok=True)
    # BGR2Lab at every point of OpenCV's 33^3 interpolation grid recovers its fixed-point L table.
    g = np.arange(33, dtype=np.float32) / np.float32(32)
    r, gg, b = np.meshgrid(g, g, g, indexing="ij")  # index [red][green][blue]
    grid = np.stack([b, gg, r], axis=-1).reshape(1, -1, 3).astype(np.float32)
    lab = cv2.cvtColor(grid, cv2.COLOR_BGR2Lab)
    table = np.rint(lab[0, :, 0] * 16384 / 100).astype("<i2")
    table.tofile(os.path.join(out, "bgr2lab-l-grid.bin"))
    rng = np.random.RandomState(7)
    # Random colours (and a few outside [0, 1], which OpenCV clips), rows of 13 pixels so that both
    # its SIMD loop and its scalar tail are exercised.
    bgr = rng.uniform(-0.05, 1.05, size=(48, 13, 3)).astype(np.float32)
    bgr.astype("<f4").tofile(os.path.join(out, "bgr2lab-in.bin"))
    cv2.cvtColor(bgr, cv2.COLOR_BGR2Lab)[:, :, 0].astype("<f4").tofile(os.path.join(out, "bgr2lab-l-out.bin"))
    lab_in = np.stack([rng.uniform(0, 100, (48, 13)), rng.uniform(-90, 90, (48, 13)),
                       rng.uniform(-90, 90, (48, 13))], axis=-1).astype(np.float32)
    lab_in[0, :, 0] = np.linspace(0, 9, 13)  # around the L <= 8 branch
    lab_in.astype("<f4").tofile(os.path.join(out, "lab2rgb-in.bin"))
    cv2.cvtColor(lab_in, cv2.COLOR_LAB2RGB).astype("<f4").tofile(os.path.join(out, "lab2rgb-out.bin"))
    cv2.cvtColor(lab_in, cv2.COLOR_LAB2BGR).astype("<f4").tofile(os.path.join(out, "lab2bgr-out.bin"))
    src = rng.uniform(0, 1, size=(23, 37, 3)).astype(np.float32)
    src.astype("<f4").tofile(os.path.join(out, "resize-in-37x23.bin"))
    for (w, h) in [(16, 16), (64, 64), (37, 23), (50, 9)]:
        cv2.resize(src, (w, h)).astype("<f4").tofile(os.path.join(out, "resize-out-%dx%d.bin" % (w, h)))
    even = rng.uniform(0, 1, size=(32, 32, 3)).astype(np.float32)
    even.astype("<f4").tofile(os.path.join(out, "resize-in-32x32.bin"))
    cv2.resize(even, (16, 16)).astype("<f4").tofile(os.path.join(out, "resize-out-halved-16x16.bin"))


def main():
    models = os.path.join(RES, "models")
    os.makedirs(models, exist_ok=True)
    onnx.save(tiny_model(64, False), os.path.join(models, "tiny-test.onnx"))
    onnx.save(tiny_model(64, True), os.path.join(models, "tiny-test-dynamic.onnx"))
    onnx.save(tiny_model(48, False), os.path.join(models, "tiny-test-48.onnx"))
    net = cv2.dnn.readNetFromONNX(os.path.join(models, "tiny-test.onnx"))
    for name, bgr in inputs().items():
        cv2.imwrite(os.path.join(RES, "fixtures", "inputs", name + ".png"), bgr)
        cv2.imwrite(os.path.join(RES, "fixtures", "expected", name + ".png"), reference(bgr, net, 64))
    # A single-channel input takes the grey decode path; DDColor reads it as BGR all the same.
    grey = cv2.cvtColor(inputs()["keller"], cv2.COLOR_BGR2GRAY)
    cv2.imwrite(os.path.join(RES, "fixtures", "inputs", "keller-grey8.png"), grey)
    cv2.imwrite(os.path.join(RES, "fixtures", "expected", "keller-grey8.png"),
                reference(cv2.cvtColor(grey, cv2.COLOR_GRAY2BGR), net, 64))
    opencv_fixtures(os.path.join(RES, "fixtures", "opencv"))
    print("wrote models and fixtures under", os.path.normpath(RES))


if __name__ == "__main__":
    main()
