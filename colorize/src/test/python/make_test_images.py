#!/usr/bin/env python3
"""Builds the image-format fixtures and the hostile-input corpus of the colorize module.

Run with Debian's packages (python3-pil, python3-opencv, python3-numpy, python3-onnx):

    /usr/bin/python3 colorize/src/test/python/make_test_images.py

Writes colorize/src/test/resources/formats/ (one small file per supported format and sample
layout), colorize/src/test/resources/hostile/ (truncated, mislabelled, oversized and otherwise
hostile files, with index.json saying what each must produce) and models/not-ddcolor.onnx.
"""
import io
import json
import os
import struct
import zlib

import cv2
import numpy as np
import onnx
from onnx import TensorProto, helper
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
RES = os.path.join(HERE, "..", "resources")
SHARED = os.path.join(HERE, "..", "..", "..", "..", "..", "shared", "test-images")
FORMATS = os.path.join(RES, "formats")
HOSTILE = os.path.join(RES, "hostile")


def photo(w=61, h=47):
    grey = cv2.imread(os.path.join(SHARED, "saratoga-1900s.jpg"), cv2.IMREAD_GRAYSCALE)
    return cv2.resize(grey, (w, h), interpolation=cv2.INTER_AREA)


def save(img, name, **kw):
    img.save(os.path.join(FORMATS, name), **kw)


def exif_with_orientation(value):
    # A minimal little-endian TIFF with one IFD entry: Orientation (0x0112), SHORT, 1, value.
    tiff = b"II*\x00" + struct.pack("<I", 8) + struct.pack("<H", 1)
    tiff += struct.pack("<HHIHH", 0x0112, 3, 1, value, 0) + struct.pack("<I", 0)
    return b"Exif\x00\x00" + tiff


def formats():
    os.makedirs(FORMATS, exist_ok=True)
    g = photo()
    grey = Image.fromarray(g, "L")
    save(grey, "grey.png")
    save(Image.fromarray((g.astype(np.uint16) * 257), "I;16"), "grey16.png")
    rgb16 = np.stack([g, g, g], -1).astype(np.uint16) * 257
    cv2.imwrite(os.path.join(FORMATS, "rgb16.png"), rgb16)
    save(grey.convert("RGB").quantize(64), "palette.png")
    alpha = np.tile(np.linspace(0, 255, g.shape[1]).astype(np.uint8), (g.shape[0], 1))
    rgba = Image.fromarray(np.dstack([g, g, g, alpha]), "RGBA")
    save(rgba, "rgba.png")
    save(Image.fromarray(np.dstack([g, alpha]), "LA"), "grey-alpha.png")
    rgb = grey.convert("RGB")
    save(rgb, "baseline.jpg", quality=90)
    save(rgb, "progressive.jpg", quality=90, progressive=True)
    save(grey, "grey.jpg", quality=90)
    save(rgb.convert("CMYK"), "cmyk.jpg", quality=90)
    for o in (3, 6, 8):
        save(rgb, "exif-orientation-%d.jpg" % o, quality=95, exif=exif_with_orientation(o))
    save(rgb, "lossy.webp", quality=90)
    save(rgba, "lossless-alpha.webp", lossless=True, exact=True)
    save(rgb, "image.bmp")
    frame2 = Image.fromarray(255 - g, "L").convert("RGB")
    rgb.save(os.path.join(FORMATS, "animated.gif"), save_all=True, append_images=[frame2], duration=100, loop=0)
    save(rgb, "image.tiff", compression="tiff_deflate")
    save(Image.fromarray((g.astype(np.uint16) * 257), "I;16"), "grey16.tiff")
    colour = np.zeros((32, 48, 3), np.uint8)
    colour[:, :16] = (200, 30, 30)
    colour[:, 16:32] = (30, 200, 30)
    colour[:, 32:] = (30, 30, 200)
    save(Image.fromarray(colour, "RGB"), "colour.png")


def png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png_with_size(w, h, bit_depth=1, colour=0, idat=None):
    ihdr = struct.pack(">IIBBBBB", w, h, bit_depth, colour, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr) + png_chunk(b"IDAT", idat or zlib.compress(b"\x00")) \
        + png_chunk(b"IEND", b"")


def bomb_png():
    """20000 x 20000 one-bit grey, all zeros: 400 megapixels in about 50 KB."""
    w = h = 20000
    row = b"\x00" + b"\x00" * ((w + 7) // 8)
    comp = zlib.compressobj(9)
    data = b"".join(comp.compress(row) for _ in range(h)) + comp.flush()
    return png_with_size(w, h, 1, 0, data)


def jpeg_with_size(data, w, h):
    """Rewrites the SOF0 frame size of a baseline JPEG."""
    b = bytearray(data)
    i = 2
    while i < len(b):
        marker = b[i + 1]
        length = struct.unpack(">H", b[i + 2:i + 4])[0]
        if marker in (0xC0, 0xC2):
            b[i + 5:i + 9] = struct.pack(">HH", h, w)
            return bytes(b)
        i += 2 + length
    raise ValueError("no SOF")


def hostile():
    os.makedirs(HOSTILE, exist_ok=True)
    rng = np.random.RandomState(402)
    index = {}

    def put(name, data, reason):
        with open(os.path.join(HOSTILE, name), "wb") as f:
            f.write(data)
        index[name] = reason

    jpg = open(os.path.join(FORMATS, "baseline.jpg"), "rb").read()
    png = open(os.path.join(FORMATS, "grey.png"), "rb").read()
    gif = open(os.path.join(FORMATS, "animated.gif"), "rb").read()
    webp = open(os.path.join(FORMATS, "lossy.webp"), "rb").read()
    tiff = open(os.path.join(FORMATS, "image.tiff"), "rb").read()
    bmp = open(os.path.join(FORMATS, "image.bmp"), "rb").read()

    put("empty.bin", b"", "EMPTY")
    put("text.txt", b"hello, this is not a photo\n", "NOT_AN_IMAGE")
    put("random.bin", rng.bytes(1024), "NOT_AN_IMAGE")
    put("truncated.jpg", jpg[: len(jpg) * 2 // 5], "CORRUPT")
    put("truncated.png", png[: len(png) * 3 // 5], "CORRUPT")
    put("truncated.gif", gif[: len(gif) // 3], "CORRUPT")
    put("truncated.webp", webp[: len(webp) // 2], "CORRUPT")
    put("truncated.tiff", tiff[: len(tiff) // 2], "CORRUPT")
    put("truncated.bmp", bmp[: len(bmp) // 2], "CORRUPT")
    put("header-only.png", png[:33], "CORRUPT")
    put("png-magic-garbage.png", b"\x89PNG\r\n\x1a\n" + rng.bytes(500), "CORRUPT")
    put("jpeg-magic-garbage.jpg", b"\xff\xd8\xff" + rng.bytes(500), "CORRUPT")
    put("gif-magic-garbage.gif", b"GIF89a" + rng.bytes(200), "CORRUPT")
    put("bomb-400mp.png", bomb_png(), "TOO_MANY_PIXELS")
    put("huge-dimensions.png", png_with_size(100000, 100000), "TOO_MANY_PIXELS")
    put("huge-dimensions.jpg", jpeg_with_size(jpg, 65000, 65000), "TOO_MANY_PIXELS")
    put("tall-strip.png", png_with_size(1, 70000), "TOO_MANY_PIXELS")
    screen = bytearray(gif)
    screen[6:10] = struct.pack("<HH", 65535, 65535)
    put("huge-screen.gif", bytes(screen), "OK_OR_TOO_MANY_PIXELS")
    put("zero-dimensions.png", png_with_size(0, 0), "CORRUPT")
    wide = bytearray(bmp)
    wide[18:26] = struct.pack("<ii", 1_000_000, 1_000_000)
    put("huge-dimensions.bmp", bytes(wide), "TOO_MANY_PIXELS|CORRUPT")
    bad_ifd = bytearray(tiff)
    bad_ifd[4:8] = struct.pack("<I", 0x7FFFFFF0)
    put("bogus-ifd.tiff", bytes(bad_ifd), "CORRUPT")
    # EXIF that lies about its offsets: the photo must still decode, unrotated.
    broken_exif = b"Exif\x00\x00II*\x00" + struct.pack("<I", 0xFFFFFF00) + rng.bytes(40)
    app1 = b"\xff\xe1" + struct.pack(">H", len(broken_exif) + 2) + broken_exif
    put("corrupt-exif.jpg", jpg[:2] + app1 + jpg[2:], "OK")
    loop_exif = b"Exif\x00\x00II*\x00" + struct.pack("<I", 8) + struct.pack("<H", 60000) + rng.bytes(20)
    app1 = b"\xff\xe1" + struct.pack(">H", len(loop_exif) + 2) + loop_exif
    put("exif-huge-entry-count.jpg", jpg[:2] + app1 + jpg[2:], "OK")
    put("heic.heic", b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + rng.bytes(100), "UNSUPPORTED_FORMAT")
    put("avif.avif", b"\x00\x00\x00\x1cftypavif\x00\x00\x00\x00avifmif1miaf" + rng.bytes(100), "UNSUPPORTED_FORMAT")
    put("drawing.svg", b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>',
        "UNSUPPORTED_FORMAT")
    put("document.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n" + rng.bytes(100), "UNSUPPORTED_FORMAT")
    put("photoshop.psd", b"8BPS\x00\x01" + rng.bytes(100), "UNSUPPORTED_FORMAT")
    broken_webp = bytearray(webp)
    broken_webp[20:40] = rng.bytes(20)
    put("corrupt-chunk.webp", bytes(broken_webp), "CORRUPT|TOO_MANY_PIXELS")
    with open(os.path.join(HOSTILE, "index.json"), "w") as f:
        json.dump({"source": "generated by colorize/src/test/python/make_test_images.py",
                   "expected": index}, f, indent=2, sort_keys=True)


def not_ddcolor_model():
    graph = helper.make_graph(
        [helper.make_node("Relu", ["x"], ["y"])], "not_ddcolor",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 1, 8, 8])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 1, 8, 8])])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 12)], producer_name="chroma402")
    model.ir_version = 7
    onnx.save(model, os.path.join(RES, "models", "not-ddcolor.onnx"))


if __name__ == "__main__":
    formats()
    hostile()
    not_ddcolor_model()
    print("wrote formats, hostile corpus and not-ddcolor.onnx under", os.path.normpath(RES))
