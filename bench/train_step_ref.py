#!/usr/bin/python3
"""Python PyTorch side of bench/run_train_bench.sh: the same LoRA step as bench_train_step, one
configuration per process, driven through the plain-PyTorch CLIP of ../shared/tools/clip_torch_ref.py
(what HF + PEFT compute, without their wrappers).

Usage: train_step_ref.py REFERENCE_DIR THREADS BATCH fp32|bf16 both|vision STEPS [studio-runtime]
  both:   LoRA r=8 on q_proj,v_proj of both towers
  vision: LoRA on the vision tower only; the frozen text tower still runs every step (as in PEFT)
  studio-runtime: the CPU settings the studio applies (core/model/cpu_runtime.h): one ATen thread
          beside OpenBLAS's own, and glibc keeping freed blocks up to 32 MiB for reuse
Prints `key value` lines like bench_train_step; asserts nothing.
"""
import contextlib
import ctypes
import resource
import statistics
import sys
import time

import torch

sys.path.insert(0, sys.argv[1])
import clip_torch_ref as ref  # noqa: E402

threads, batch, precision, towers, steps = int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5], int(sys.argv[6])
if sys.argv[7:] == ["studio-runtime"]:
    libc = ctypes.CDLL("libc.so.6")
    libc.mallopt(-3, 32 << 20)  # M_MMAP_THRESHOLD
    libc.mallopt(-1, 1 << 30)   # M_TRIM_THRESHOLD
    torch.set_num_threads(1)    # OpenBLAS keeps its own threads (one per core)
else:
    torch.set_num_threads(threads)
torch.manual_seed(0)

model = ref.CLIP(dict(ref.TEXT_DEFAULTS), dict(ref.VISION_DEFAULTS), 512)
for module in model.modules():
    if isinstance(module, (torch.nn.Linear, torch.nn.Embedding, torch.nn.Conv2d)):
        torch.nn.init.normal_(module.weight, std=0.02)
ref.add_lora(model.vision_model if towers == "vision" else model, 8, 16, {"q_proj", "v_proj"})
for name, parameter in model.named_parameters():
    parameter.requires_grad_(".lora_" in name)
optimizer = ref.make_opt(model, lr=1e-4, weight_decay=0.01)

pixels = torch.randn(batch, 3, 224, 224)
ids = torch.full((batch, 77), 49407, dtype=torch.long)
ids[:, 0] = 49406
ids[:, 1:20] = torch.randint(0, 49406, (batch, 19))
mask = (torch.arange(77) < 21).long().expand(batch, 77)


def autocast():
    if precision == "bf16":
        return torch.autocast("cpu", dtype=torch.bfloat16)
    return contextlib.nullcontext()


model.train()
times, loss = [], 0.0
for i in range(1 + steps):  # the first step warms up
    start = time.perf_counter()
    optimizer.zero_grad(set_to_none=True)
    with autocast():
        step_loss = ref.clip_loss(model(pixels, ids, mask))
    step_loss.backward()
    optimizer.step()
    if i > 0:
        times.append(time.perf_counter() - start)
        loss = step_loss.item()

median = statistics.median(times)
print(f"python seconds_per_step {median:.3f}")
print(f"python images_per_s {batch / median:.2f}")
print(f"python loss {loss:.5f}")
print(f"python peak_rss_mib {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f}")
print(f"python torch {torch.__version__}")
