#!/usr/bin/env python3
"""Writes irfuse-nn/src/main/resources/irfuse/torchscript/to_bfloat16.torchscript: a weight-free TorchScript module whose
forward casts a float tensor to bfloat16, keeping its memory format (strides).

Why it exists: DJL 0.32's PyTorch JNI maps only the first data types, so NDArray.toType(BFLOAT16) and every
bf16 creation aborts the JVM; a TorchScript module can still produce bf16 tensors, after which DJL's ordinary
ops (conv2d, relu, concat, add, maximum) run in bf16 (../shared/docs/STACK.md). Casting back to float32 is an
ordinary DJL toType. Run with Debian's python3-torch (1.13): /usr/bin/python3 tools/torchscript/to_bfloat16.py
"""
import os
import torch


class ToBfloat16(torch.nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x.to(torch.bfloat16)


here = os.path.dirname(os.path.abspath(__file__))
out = os.path.join(here, "..", "..", "irfuse-nn", "src", "main", "resources", "irfuse", "torchscript",
                   "to_bfloat16.torchscript")
torch.jit.save(torch.jit.script(ToBfloat16()), os.path.normpath(out))
print("wrote", os.path.normpath(out))
