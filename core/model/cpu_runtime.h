#pragma once
// How LibTorch uses this CPU. Two measured choices (bench/run_train_bench.sh: a ViT-B/32 LoRA step
// at batch 32 on 2 cores, 2.2 -> 3.4 images/s, the same forward and backward):
// - With a threaded OpenBLAS (Debian's libopenblas0-pthread), matrix products run on OpenBLAS's
//   own threads while ATen's OpenMP workers spin between their parallel regions, taking cores
//   from them. ATen then gets one thread and OpenBLAS the cores.
// - glibc hands large freed blocks back to the kernel at once, so every step page-faults its
//   activations in again (a third of the step in kernel time). Blocks up to 32 MiB stay in the
//   heap for reuse; release_cpu_memory() gives them back when a run ends.

#include <string>

namespace phototune {

enum class BlasKind { OpenBlasThreads, OpenBlasOpenMp, Mkl, Reference, Unknown };

struct BlasLibrary {
    BlasKind kind = BlasKind::Unknown;
    std::string description; // e.g. "OpenBLAS, own threads (/usr/lib/.../openblas-pthread/libblas.so.3)"
};

// The BLAS mapped into this process (Debian picks it through alternatives at run time).
BlasLibrary loaded_blas();

// Applies the choices above for `threads` cores (0: all of them). Idempotent; call it before the
// first heavy tensor work (the trainer and the inference engine do).
void configure_cpu_runtime(int threads = 0);

// Returns the heap's free memory to the system (after a training run).
void release_cpu_memory();

} // namespace phototune
