#!/usr/bin/env python3
"""Writes the small and hostile checkpoints of src/test/resources/checkpoints (Debian python3-torch).

    cd colorize/src/test/resources/checkpoints && /usr/bin/python3 ../../python/make_checkpoint_fixtures.py

The hostile ones are what a malicious "checkpoint" looks like: pickles that would run os.system
or eval under Python's unpickler, a class of the saving program, a storage shorter than its
tensor, a truncated file and a zip bomb. Nothing here runs them; the Java tests check that the
reader refuses each one without running anything.
"""
import builtins
import collections
import os
import sys
import zipfile

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "..", "tools", "ddcolor"))
import make_test_checkpoint as m  # noqa: E402

torch.manual_seed(0)
base = torch.arange(10, dtype=torch.float32)
sd = collections.OrderedDict()
sd["conv.weight"] = torch.tensor([[1.5, -2.0, 3.25], [0.0, 4.0, -0.5]])
sd["half"] = torch.tensor([1.0, -0.5, 65504.0, 6e-8], dtype=torch.float16)
sd["bf16"] = torch.tensor([1.0, -3.0], dtype=torch.bfloat16)
sd["double"] = torch.tensor([0.125], dtype=torch.float64)
sd["steps"] = torch.tensor(7)
sd["view"] = base[2:6]
sd["param"] = torch.nn.Parameter(torch.tensor([9.0, 8.0]))
torch.save({"params": sd}, "small-params.pth")
torch.save(sd, "small-state.bin")
m.save_safetensors(collections.OrderedDict((k, v.detach().numpy()) for k, v in sd.items() if k not in ("half", "bf16", "steps")), "small.safetensors")

class Evil:
    def __init__(self, fn, arg): self.fn, self.arg = fn, arg
    def __reduce__(self): return (self.fn, (self.arg,))
torch.save({"params": {"w": torch.ones(2), "x": Evil(os.system, "touch /tmp/chroma402-pwned-marker")}}, "evil-os-system.pth")
torch.save({"w": Evil(builtins.eval, "__import__('os').system('touch /tmp/chroma402-pwned-marker')")}, "evil-eval.pth")
class Config:
    def __init__(self): self.lr = 0.1
Config.__module__ = "__main__"
torch.save({"params": {"w": torch.ones(2)}, "config": Config()}, "unknown-class.pth")

# A storage shorter than its tensor: rewrite data/0 of a saved file with half its bytes.
torch.save({"params": {"w": torch.ones(8)}}, "/tmp/short.pth")
with zipfile.ZipFile("/tmp/short.pth") as src, zipfile.ZipFile("short-storage.pth", "w", zipfile.ZIP_STORED) as dst:
    for info in src.infolist():
        data = src.read(info)
        if info.filename.endswith("/data/0"):
            data = data[: len(data) // 2]
        dst.writestr(info, data)

# A truncated file: the first 60 % of a good one.
data = open("small-params.pth", "rb").read()
open("truncated.pth", "wb").write(data[: len(data) * 6 // 10])

# A zip bomb: data.pkl inflates to 256 MiB of zeros from a few hundred KB.
with zipfile.ZipFile("zip-bomb.pth", "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
    z.writestr("archive/data.pkl", b"\0" * (256 << 20))
    z.writestr("archive/version", b"3\n")
for f in sorted(os.listdir(".")): print(f, os.path.getsize(f))
