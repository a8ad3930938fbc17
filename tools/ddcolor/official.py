"""Imports the official DDColor code (github.com/piddnad/DDColor, Apache-2.0) from a checkout.

The checkout's `basicsr/archs/__init__.py` imports training-only packages (torchvision among them)
that Debian's python3-torch does not bring; the architecture and the inference pipeline need none
of them, so the two package folders are registered without running their `__init__`.
"""
import os
import sys
import types

# The settings of the official scripts and of the authors' Hugging Face configs.
ARCHITECTURE = dict(
    decoder_name="MultiScaleColorDecoder",
    num_output_channels=2,
    last_norm="Spectral",
    do_normalize=False,
    num_queries=100,
    num_scales=3,
    dec_layers=9,
)
ENCODERS = {"tiny": "convnext-t", "large": "convnext-l"}


def load(repo):
    """The official `ddcolor` package from a checkout of the repository."""
    root = os.path.abspath(repo)
    if not os.path.isfile(os.path.join(root, "ddcolor", "pipeline.py")):
        sys.exit("%s is not a checkout of github.com/piddnad/DDColor (no ddcolor/pipeline.py)" % repo)
    sys.path.insert(0, root)
    for name in ("basicsr", "basicsr.archs"):
        if name not in sys.modules:
            module = types.ModuleType(name)
            module.__path__ = [os.path.join(root, *name.split("."))]
            sys.modules[name] = module
    import ddcolor
    return ddcolor


def build(ddcolor, size, input_size=512):
    """The official network for `size` ("tiny" or "large"), with the official random initialisation."""
    import torch

    # trunc_normal_ is very slow in Debian's torch build (about 3 minutes for DDColor-L); this
    # draws from the same distribution closely enough for weights that are replaced anyway.
    def quick_trunc_normal(tensor, mean=0.0, std=1.0, a=-2.0, b=2.0):
        with torch.no_grad():
            return tensor.normal_(mean, std).clamp_(a, b)

    saved = torch.nn.init.trunc_normal_
    torch.nn.init.trunc_normal_ = quick_trunc_normal
    try:
        sys.modules["basicsr.archs.ddcolor_arch_utils.convnext"].trunc_normal_ = quick_trunc_normal
    except KeyError:
        pass
    try:
        model = ddcolor.DDColor(encoder_name=ENCODERS[size], input_size=[input_size, input_size], **ARCHITECTURE)
    finally:
        torch.nn.init.trunc_normal_ = saved
    return model.eval()


def pipeline(repo, size, checkpoint, input_size=512):
    """The official `ColorizationPipeline` on the CPU for `size`, with `checkpoint` loaded by the
    official loader, strictly (a key that does not match stops it)."""
    import torch

    ddcolor = load(repo)
    model = build(ddcolor, size, input_size)
    model.load_state_dict(ddcolor.load_checkpoint_state_dict(checkpoint), strict=True)
    return ddcolor.ColorizationPipeline(model, input_size=input_size, device=torch.device("cpu"))


def add_pipeline_arguments(parser):
    """The options that choose the official pipeline, for `pipeline(...)`: the checkout, the
    architecture, the checkpoint and the input size."""
    parser.add_argument("--repo", required=True)
    parser.add_argument("--architecture", choices=sorted(ENCODERS), required=True)
    parser.add_argument("--checkpoint", required=True)
    parser.add_argument("--input-size", type=int, default=512)
