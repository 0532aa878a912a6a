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
  Each dense convolution and its ReLU are one oneDNN primitive (mkldnn::_convolution_pointwise with the "relu"
  post-op, the fused operator PyTorch's Inductor CPU backend emits), which removes a pass over every layer's
  output. Same results bit for bit: the convolution, its fp32 accumulation and the rounding are oneDNN's in both
  forms, and ReLU commutes with rounding.
- pack_dense_block: a dense block's weights in the form dense_block runs fastest on, made once per fuser. In bf16
  the 3x3 convolution weights are put into oneDNN's blocked layout (mkldnn::_reorder_convolution_weight) and the
  1x1 convolution becomes a matrix product on the NHWC rows (mkldnn::_linear_pointwise, bias and ReLU fused) with
  its weight likewise reordered (mkldnn::_reorder_linear_weight): at lite width (112->32 channels) oneDNN's bf16
  1x1 convolution took 2.5x as long as the product, and reordering per call cost 1-2 % of the pass
  (docs/benchmarks.md, "Fused convolution kernels"). Bit for bit the same results. In float32 the weights are
  returned as they are (the product was not faster there, and a float32 fuser sees later changes to the weights).
- prelu_: PReLU with one slope for all channels, in place: one pass over memory instead of four
  (max(0,x) + a*min(0,x) gives the same values: x for x > 0, a*x otherwise).
- buffer: an uninitialised flat array in the type of a given array (DJL 0.32 aborts when asked for bf16 arrays).

The module has no state: every method is a pure function of its arguments (and writes only into the buffers and
the arrays it is told to change in place). Run with Debian's python3-torch (1.13): libtorch 2.5.1 compiles the
saved code when it loads it. The fused oneDNN operators exist in libtorch 2.5.1 but not in 1.13, so their 2.5.1
schemas (copied from libtorch_cpu.so, `strings | grep '^mkldnn::_'`) are declared here for the 1.13 compiler only;
the saved code calls them by name and libtorch 2.5.1 binds its own definitions on load. pack_dense_block returns
oneDNN's opaque (MKLDNN-layout) tensors in bf16: Java only holds them and hands them back to dense_block.
    /usr/bin/python3 tools/torchscript/inference_kernels.py
"""
import os
from typing import List, Optional
import torch
from torch import Tensor

if not torch._C._jit_get_schemas_for_operator("mkldnn::_convolution_pointwise"):
    # torch.library.Library refuses "FRAGMENT" in 1.13; the C++ registrar accepts it. Declarations only, no kernels:
    # the module is never run in this Python, only compiled and saved.
    _mkldnn = torch._C._dispatch_library("FRAGMENT", "mkldnn", "", __file__, 0)
    _mkldnn.define("_convolution_pointwise(Tensor X, Tensor W, Tensor? B, int[] padding, int[] stride, "
                   "int[] dilation, int groups, str attr, Scalar?[] scalars, str? algorithm) -> Tensor Y")
    _mkldnn.define("_linear_pointwise(Tensor X, Tensor W, Tensor? B, str attr, Scalar?[] scalars, "
                   "str? algorithm) -> Tensor Y")
    _mkldnn.define("_reorder_linear_weight(Tensor self, int? batch_size=None) -> Tensor Y")
    _mkldnn.define("_reorder_convolution_weight(Tensor self, int[2] padding=0, int[2] stride=1, int[2] dilation=1, "
                   "int groups=1, int[]? input_size=None) -> Tensor Y")


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
    def pack_dense_block(self, dilation: int, w0: Tensor, b0: Tensor, w1: Tensor, b1: Tensor, w2: Tensor, b2: Tensor,
                         w3: Tensor, b3: Tensor, w4: Tensor, b4: Tensor, wf: Tensor, bf: Tensor) -> List[Tensor]:
        # bf16: [conv weight i (oneDNN layout), bias i] for i < 5, then [1x1 weight as a C x C_in matrix (oneDNN
        # layout), bias]; the 2-D last weight tells dense_block to run the matrix product. float32: the arrays as
        # they are, and on a GPU too (oneDNN is the CPU's). The reorders take no image size: the layouts oneDNN picks
        # then fit any size (tested at odd sizes).
        packed = [w0, b0, w1, b1, w2, b2, w3, b3, w4, b4, wf, bf]
        if wf.dtype != torch.bfloat16 or wf.device.type != "cpu":
            return packed
        for i in range(5):
            packed[2 * i] = torch.ops.mkldnn._reorder_convolution_weight(packed[2 * i], [dilation, dilation], [1, 1],
                                                                         [dilation, dilation], 1)
        packed[10] = torch.ops.mkldnn._reorder_linear_weight(wf.reshape([wf.size(0), wf.size(1)]))
        return packed

    @torch.jit.export
    def dense_block(self, x: Tensor, buffer_a: Tensor, buffer_b: Tensor, dilation: int,
                    w0: Tensor, b0: Tensor, w1: Tensor, b1: Tensor, w2: Tensor, b2: Tensor,
                    w3: Tensor, b3: Tensor, w4: Tensor, b4: Tensor, wf: Tensor, bf: Tensor) -> Tensor:
        # features <- cat(features, relu(conv_i(features))) five times, then relu(conv1x1(features)) + x, with the
        # weights as pack_dense_block left them. Layer i's concatenation goes into buffer a (even i) or b (odd i).
        n = x.size(0)
        h = x.size(2)
        w = x.size(3)
        weights = [w0, w1, w2, w3, w4]
        biases = [b0, b1, b2, b3, b4]
        no_scalars = torch.jit.annotate(List[Optional[number]], [])
        features = x
        for i in range(5):
            y = self._conv_relu(features, weights[i], biases[i], dilation, dilation)
            features = self.cat_into(buffer_a if i % 2 == 0 else buffer_b, features, y)
        if wf.dim() == 2:
            # The 1x1 convolution as relu(rows @ wf^T + bf) on the N*H*W x C_in rows of the NHWC features (a view
            # for channels-last input, a copy otherwise); the result rows are the NHWC output.
            cout = bf.size(0)
            rows = features.permute([0, 2, 3, 1]).reshape([n * h * w, features.size(1)])
            y = torch.ops.mkldnn._linear_pointwise(rows, wf, bf, "relu", no_scalars, None)
            y = y.view([n, h, w, cout]).permute([0, 3, 1, 2])
        else:
            y = self._conv_relu(features, wf, bf, 0, 1)
        return y.add_(x)

    @torch.jit.export
    def cat_into(self, buffer: Tensor, features: Tensor, y: Tensor) -> Tensor:
        # cat(features, y) along the channels, written into the first N*H*W*(C+G) elements of buffer viewed as a
        # contiguous N x (C+G) x H x W array in features' memory format (channels-last, else plain), as the DJL
        # blocks' concatenation would lay it out: the next convolution reads it without a copy, in the same format.
        # (Also timed on its own by `irfuse bench --copy-only`: the copies are memory-bound.)
        n = features.size(0)
        h = features.size(2)
        w = features.size(3)
        c = features.size(1) + y.size(1)
        part = buffer.narrow(0, 0, n * h * w * c)
        if features.is_contiguous(memory_format=torch.channels_last):
            grown = part.view([n, h, w, c]).permute([0, 3, 1, 2])
        else:
            grown = part.view([n, c, h, w])
        torch.cat([features, y], 1, out=grown)
        return grown

    def _conv_relu(self, x: Tensor, w: Tensor, b: Tensor, padding: int, dilation: int) -> Tensor:
        # relu(conv(x)): on the CPU one oneDNN primitive (ReLU as its post-op); elsewhere (a CUDA build) the two
        # operators the DJL blocks call.
        if x.device.type != "cpu":
            return torch.relu_(torch.conv2d(x, w, b, [1, 1], [padding, padding], [dilation, dilation]))
        no_scalars = torch.jit.annotate(List[Optional[number]], [])
        return torch.ops.mkldnn._convolution_pointwise(x, w, b, [padding, padding], [1, 1], [dilation, dilation], 1,
                                                       "relu", no_scalars, None)


here = os.path.dirname(os.path.abspath(__file__))
out = os.path.normpath(os.path.join(here, "..", "..", "irfuse-nn", "src", "main", "resources", "irfuse",
                                    "torchscript", "inference_kernels.torchscript"))
torch.jit.save(torch.jit.script(InferenceKernels()), out)
print("wrote", out)
