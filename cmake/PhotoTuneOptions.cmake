# Every PhotoTune build switch, in one place.
include(CheckLanguage)

option(PHOTOTUNE_BUILD_GUI "phototune: build the Qt studio (ui/ and the phototune executable)" ON)
option(PHOTOTUNE_BUILD_TESTS "phototune: build the Qt Test programs and register them with CTest" ON)
option(PHOTOTUNE_SANITIZER_BUILD
       "phototune: AddressSanitizer + UBSan build of the Torch-free core and the hostile-input tests only" OFF)

# CUDA is opt-in by availability: ON only when a toolkit is found, and then the code expects an
# official LibTorch 2.x CUDA build (Debian's LibTorch is CPU-only).
check_language(CUDA)
if(CMAKE_CUDA_COMPILER)
  set(_phototune_cuda_default ON)
else()
  set(_phototune_cuda_default OFF)
endif()
option(PHOTOTUNE_WITH_CUDA "phototune: build the CUDA code paths (needs a CUDA LibTorch)" ${_phototune_cuda_default})

set(PHOTOTUNE_FIXTURES_DIR "${CMAKE_SOURCE_DIR}/../shared/fixtures" CACHE PATH
    "Golden fixtures produced with Hugging Face transformers + peft (tests only)")
