# Every PhotoTune build switch in one place, but PHOTOTUNE_WITH_CUDA (see below).

option(PHOTOTUNE_BUILD_GUI "phototune: build the Qt studio (ui/ and the phototune executable)" ON)
option(PHOTOTUNE_BUILD_TESTS "phototune: build the Qt Test programs and register them with CTest" ON)
option(PHOTOTUNE_SANITIZER_BUILD
       "phototune: AddressSanitizer + UBSan build of the Torch-free core and the hostile-input tests only" OFF)

# PHOTOTUNE_WITH_CUDA is declared in PhotoTuneDependencies.cmake, as its default depends on the
# LibTorch that is found.

set(PHOTOTUNE_FIXTURES_DIR "${CMAKE_SOURCE_DIR}/../shared/fixtures" CACHE PATH
    "Golden fixtures produced with Hugging Face transformers + peft (tests only)")
