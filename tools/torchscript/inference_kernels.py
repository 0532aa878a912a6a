#!/usr/bin/env python3
"""Writes irfuse-nn/src/main/resources/irfuse/torchscript/inference_kernels.torchscript: a weight-free TorchScript
module with the fusion network's inference kernels, which DJL 0.32 cannot express itself (no in-place ReLU, no
concatenation into existing memory). Java hands it the network's own weights and reused buffers
(org.irfuse.nn.runtime.InferenceKernels, Workspace); the arithmetic is the DJL blocks' own, op for op, so results
are bit for bit the same (FusionNetworkInferenceTest), and what changes is memory:

- dense_block: a dilated residual dense block (METHOD.md) whose growing concatenations are written into two
  caller-owned flat buffers, alternately, instead of five fresh arrays per block. Fresh arrays of this size
  (up to 137 MB at paper width, 640x480, bf16) come from mmap and are zero-filled page by page by the kernel on
  first touch; that cost as much as the convolutions (docs/benchmarks.md, "Where the time goes"). ReLU and the
  residual addition run in place on the convolution outputs.
- prelu_: PReLU with one slope for all channels, in place: one pass over memory instead of four
  (max(0,x) + a*min(0,x) gives the same values: x for x > 0, a*x otherwise).
- buffer: an uninitialised flat array in the type of a given array (DJL 0.32 aborts when asked for bf16 arrays).

The module has no state: every method is a pure function of its arguments (and writes only into the buffers and
the arrays it is told to change in place). Run with Debian's python3-torch (1.13): libtorch 2.5.1 compiles the
saved code when it loads it.
    /usr/bin/python3 tools/torchscript/inference_kernels.py
"""
import os
import torch
from torch import Tensor


class InferenceKernels(torch.nn.Module):
    def forward(self, x: Tensor) -> Tensor:
        return x

    @torch.jit.export
    def buffer(self, like: Tensor, elements: int) -> Tensor:
        return torch.empty([elements], dtype=like.dtype, device=like.device)

    @torch.jit.export
    def prelu_(self, x: Tensor, slope: Tensor) -> Tensor:
        # One slope shared by all channels (nn.PReLU()), so PReLU is a leaky ReLU with that slope.
        return torch.nn.functional.leaky_relu_(x, slope.item())

    @torch.jit.export
    def dense_block(self, x: Tensor, buffer_a: Tensor, buffer_b: Tensor, dilation: int,
                    w0: Tensor, b0: Tensor, w1: Tensor, b1: Tensor, w2: Tensor, b2: Tensor,
                    w3: Tensor, b3: Tensor, w4: Tensor, b4: Tensor, wf: Tensor, bf: Tensor) -> Tensor:
        # features <- cat(features, relu(conv_i(features))) five times, then relu(conv1x1(features)) + x.
        # Layer i's concatenation goes into the first N*H*W*C_i elements of buffer a (even i) or b (odd i), viewed
        # as a contiguous N x C_i x H x W array in x's memory format (channels-last, else plain), as the DJL blocks'
        # concatenation would lay it out: the next convolution reads it without a copy, in the same format.
        n = x.size(0)
        h = x.size(2)
        w = x.size(3)
        channels_last = x.is_contiguous(memory_format=torch.channels_last)
        weights = [w0, w1, w2, w3, w4]
        biases = [b0, b1, b2, b3, b4]
        features = x
        for i in range(5):
            y = torch.relu_(torch.conv2d(features, weights[i], biases[i], [1, 1], [dilation, dilation],
                                         [dilation, dilation]))
            c = features.size(1) + y.size(1)
            buffer = buffer_a if i % 2 == 0 else buffer_b
            part = buffer.narrow(0, 0, n * h * w * c)
            if channels_last:
                grown = part.view([n, h, w, c]).permute([0, 3, 1, 2])
            else:
                grown = part.view([n, c, h, w])
            torch.cat([features, y], 1, out=grown)
            features = grown
        y = torch.relu_(torch.conv2d(features, wf, bf))
        return y.add_(x)


here = os.path.dirname(os.path.abspath(__file__))
out = os.path.normpath(os.path.join(here, "..", "..", "irfuse-nn", "src", "main", "resources", "irfuse",
                                    "torchscript", "inference_kernels.torchscript"))
torch.jit.save(torch.jit.script(InferenceKernels()), out)
print("wrote", out)
