#!/usr/bin/env python3
"""Builds a DDColor-sized ONNX model with random weights, for speed benchmarks only.

    /usr/bin/python3 tools/bench-model/make_ddcolor_like.py --size tiny  --output bench-models/ddcolor_tiny_random.onnx
    /usr/bin/python3 tools/bench-model/make_ddcolor_like.py --size large --output bench-models/ddcolor_large_random.onnx

Needs Debian's python3-torch (and libopenblas0-pthread for reasonable speed). The network follows
the published architecture (DDColor, ICCV 2023): a ConvNeXt encoder (T: depths 3-3-9-3, widths
96-768; L: 3-3-27-3, widths 192-1536), a pixel decoder that upsamples with pixel shuffle back to
stride 4 and then to full resolution, a colour decoder of 100 queries and 9 layers alternating
cross-attention over three feature scales, self-attention and a 2048-wide MLP, and the fusion of
queries with full-resolution features into two ab channels. Weights are random: the outputs mean
nothing, but the operations, shapes and cost are those of the real model. It is written from the
paper's description, not from the official code, and is never used for real colorization.
"""
import argparse
import os

import torch
import torch.nn as nn
import torch.nn.functional as F


class LayerNorm2d(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.norm = nn.LayerNorm(c)

    def forward(self, x):
        return self.norm(x.permute(0, 2, 3, 1)).permute(0, 3, 1, 2)


class ConvNeXtBlock(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.dw = nn.Conv2d(dim, dim, 7, padding=3, groups=dim)
        self.norm = nn.LayerNorm(dim)
        self.pw1 = nn.Linear(dim, 4 * dim)
        self.pw2 = nn.Linear(4 * dim, dim)
        self.gamma = nn.Parameter(torch.full((dim,), 1e-6))

    def forward(self, x):
        y = self.dw(x).permute(0, 2, 3, 1)
        y = self.pw2(F.gelu(self.pw1(self.norm(y)))) * self.gamma
        return x + y.permute(0, 3, 1, 2)


class ConvNeXt(nn.Module):
    def __init__(self, depths, dims):
        super().__init__()
        self.down = nn.ModuleList([nn.Sequential(nn.Conv2d(3, dims[0], 4, stride=4), LayerNorm2d(dims[0]))])
        for i in range(3):
            self.down.append(nn.Sequential(LayerNorm2d(dims[i]), nn.Conv2d(dims[i], dims[i + 1], 2, stride=2)))
        self.stages = nn.ModuleList([nn.Sequential(*[ConvNeXtBlock(d) for _ in range(n)]) for n, d in zip(depths, dims)])
        self.norms = nn.ModuleList([LayerNorm2d(d) for d in dims])

    def forward(self, x):
        feats = []
        for down, stage, norm in zip(self.down, self.stages, self.norms):
            x = stage(down(x))
            feats.append(norm(x))
        return feats  # strides 4, 8, 16, 32


class UpBlock(nn.Module):
    """Upsample by pixel shuffle, concatenate the skip feature, one 3x3 convolution."""

    def __init__(self, c_in, c_skip, c_out):
        super().__init__()
        self.up = nn.Conv2d(c_in, c_out * 4, 1)
        self.conv = nn.Sequential(nn.Conv2d(c_out + c_skip, c_out, 3, padding=1), nn.ReLU())

    def forward(self, x, skip):
        x = F.pixel_shuffle(self.up(x), 2)
        return self.conv(torch.cat([x, skip], 1))


class PixelDecoder(nn.Module):
    def __init__(self, dims, embed):
        super().__init__()
        self.up16 = UpBlock(dims[3], dims[2], 512)
        self.up8 = UpBlock(512, dims[1], 256)
        self.up4 = UpBlock(256, dims[0], 256)
        self.full = nn.Sequential(nn.Conv2d(256, embed * 16, 1), nn.PixelShuffle(4))

    def forward(self, feats):
        f16 = self.up16(feats[3], feats[2])
        f8 = self.up8(f16, feats[1])
        f4 = self.up4(f8, feats[0])
        return [f16, f8, f4], self.full(f4)


class Attention(nn.Module):
    """Multi-head attention from plain projections and matmuls (exports to any ONNX opset)."""

    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.q = nn.Linear(dim, dim)
        self.k = nn.Linear(dim, dim)
        self.v = nn.Linear(dim, dim)
        self.out = nn.Linear(dim, dim)

    def forward(self, x, memory):
        b, n, c = x.shape
        h = self.heads
        q = self.q(x).reshape(b, n, h, c // h).transpose(1, 2)
        k = self.k(memory).reshape(b, -1, h, c // h).transpose(1, 2)
        v = self.v(memory).reshape(b, -1, h, c // h).transpose(1, 2)
        attn = torch.softmax(q @ k.transpose(-2, -1) * (c // h) ** -0.5, dim=-1)
        return self.out((attn @ v).transpose(1, 2).reshape(b, n, c))


class ColorDecoder(nn.Module):
    def __init__(self, scale_dims, embed=256, queries=100, layers=9, heads=8, ffn=2048):
        super().__init__()
        self.query = nn.Parameter(torch.randn(1, queries, embed) * 0.02)
        self.proj = nn.ModuleList([nn.Conv2d(c, embed, 1) for c in scale_dims])
        self.cross = nn.ModuleList([Attention(embed, heads) for _ in range(layers)])
        self.self_attn = nn.ModuleList([Attention(embed, heads) for _ in range(layers)])
        self.ffn = nn.ModuleList([nn.Sequential(nn.Linear(embed, ffn), nn.ReLU(), nn.Linear(ffn, embed))
                                  for _ in range(layers)])
        self.norms = nn.ModuleList([nn.LayerNorm(embed) for _ in range(3 * layers)])
        self.embed = nn.Sequential(nn.Linear(embed, embed), nn.ReLU(), nn.Linear(embed, embed))

    def forward(self, scales):
        memories = [p(s).flatten(2).transpose(1, 2) for p, s in zip(self.proj, scales)]
        q = self.query.expand(scales[0].shape[0], -1, -1)
        for i in range(len(self.cross)):
            m = memories[i % len(memories)]
            q = self.norms[3 * i](q + self.cross[i](q, m))
            q = self.norms[3 * i + 1](q + self.self_attn[i](q, q))
            q = self.norms[3 * i + 2](q + self.ffn[i](q))
        return self.embed(q)


class DDColorLike(nn.Module):
    def __init__(self, size):
        super().__init__()
        depths, dims = ((3, 3, 9, 3), (96, 192, 384, 768)) if size == "tiny" else ((3, 3, 27, 3), (192, 384, 768, 1536))
        self.encoder = ConvNeXt(depths, dims)
        self.pixel = PixelDecoder(dims, 256)
        self.color = ColorDecoder([512, 256, 256])
        self.refine = nn.Conv2d(100 + 3, 2, 1)

    def forward(self, x):
        scales, full = self.pixel(self.encoder(x))
        queries = self.color(scales)
        masks = torch.einsum("bqc,bchw->bqhw", queries, full)
        return self.refine(torch.cat([masks, x], 1))


def count_flops(model, size):
    flops = [0]

    def conv_hook(m, i, o):
        flops[0] += 2 * o.numel() * (m.in_channels // m.groups) * m.kernel_size[0] * m.kernel_size[1]

    def linear_hook(m, i, o):
        flops[0] += 2 * o.numel() * m.in_features

    hooks = []
    for m in model.modules():
        if isinstance(m, nn.Conv2d):
            hooks.append(m.register_forward_hook(conv_hook))
        elif isinstance(m, nn.Linear):
            hooks.append(m.register_forward_hook(linear_hook))
    with torch.no_grad():
        model(torch.rand(1, 3, size, size))
    for h in hooks:
        h.remove()
    return flops[0]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--size", choices=["tiny", "large"], required=True)
    p.add_argument("--output", required=True)
    p.add_argument("--input-size", type=int, default=512)
    args = p.parse_args()
    torch.manual_seed(402)
    model = DDColorLike(args.size).eval()
    params = sum(t.numel() for t in model.parameters())
    gflop = count_flops(model, args.input_size) / 1e9
    print("%s: %.1f M parameters, about %.0f GFLOP in convolutions and linear layers (attention matmuls extra)"
          % (args.size, params / 1e6, gflop))
    os.makedirs(os.path.dirname(os.path.abspath(args.output)), exist_ok=True)
    with torch.no_grad():
        torch.onnx.export(model, torch.rand(1, 3, args.input_size, args.input_size), args.output, opset_version=12,
                          input_names=["input"], output_names=["output"])
    print("wrote", args.output)


if __name__ == "__main__":
    main()
