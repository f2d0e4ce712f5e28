# Third-party packages. The Torch-free part of the core needs only the first block.
find_package(nlohmann_json 3.10 REQUIRED)
find_package(OpenCV REQUIRED COMPONENTS core imgproc imgcodecs)
find_package(ICU REQUIRED COMPONENTS uc i18n)
find_package(OpenSSL REQUIRED)
find_package(CURL REQUIRED)
find_package(LibArchive REQUIRED)
find_package(spdlog REQUIRED)
find_package(JPEG REQUIRED)   # libjpeg directly, for Pillow-exact CMYK JPEG decoding
if(PHOTOTUNE_BUILD_TESTS)
  find_package(Qt6 6.2 REQUIRED COMPONENTS Core Test)
endif()

if(NOT PHOTOTUNE_SANITIZER_BUILD)
  find_package(Torch REQUIRED)
  # CUDA by availability: ON by default only when a CUDA toolkit AND a LibTorch built with CUDA are
  # found (Debian's LibTorch is CPU-only even where nvcc is installed). Either way every CUDA use is
  # guarded at run time (torch::cuda::is_available), so one binary serves GPU and CPU-only machines.
  include(CheckLanguage)
  check_language(CUDA)
  if(TORCH_CUDA_LIBRARIES OR TARGET c10_cuda)
    set(PHOTOTUNE_TORCH_HAS_CUDA ON)
  else()
    set(PHOTOTUNE_TORCH_HAS_CUDA OFF)
  endif()
  if(CMAKE_CUDA_COMPILER AND PHOTOTUNE_TORCH_HAS_CUDA)
    set(_phototune_cuda_default ON)
  else()
    set(_phototune_cuda_default OFF)
  endif()
  option(PHOTOTUNE_WITH_CUDA "phototune: build the CUDA code paths (needs a CUDA toolkit and a CUDA LibTorch)"
         ${_phototune_cuda_default})
  if(PHOTOTUNE_WITH_CUDA AND NOT PHOTOTUNE_TORCH_HAS_CUDA)
    message(FATAL_ERROR "PHOTOTUNE_WITH_CUDA=ON needs a LibTorch built with CUDA, but the one found in '${Torch_DIR}' "
                        "is CPU-only. Point Torch_DIR at an official LibTorch 2.x CUDA build (docs/building.md), "
                        "or configure with -DPHOTOTUNE_WITH_CUDA=OFF.")
  endif()
  if(PHOTOTUNE_WITH_CUDA)
    enable_language(CUDA)
  endif()
  find_package(CLI11 REQUIRED)
  if(PHOTOTUNE_BUILD_GUI OR PHOTOTUNE_BUILD_TESTS)
    find_package(Qt6 6.2 REQUIRED COMPONENTS Core Gui Widgets Test Concurrent PrintSupport LinguistTools)
  endif()
  if(PHOTOTUNE_BUILD_GUI)
    # Debian ships a CMake package; vcpkg's qcustomplot port installs only the header and a qmake-built
    # library, so fall back to finding those two (as a shared library it needs QCUSTOMPLOT_USE_LIBRARY).
    find_package(QCustomPlotQt6 QUIET)
    if(NOT TARGET QCustomPlotQt6::QCustomPlotQt6)
      find_path(PHOTOTUNE_QCUSTOMPLOT_INCLUDE qcustomplot.h REQUIRED)
      find_library(PHOTOTUNE_QCUSTOMPLOT_LIBRARY NAMES qcustomplot-qt6 qcustomplot2 qcustomplot REQUIRED)
      add_library(QCustomPlotQt6::QCustomPlotQt6 UNKNOWN IMPORTED)
      set_target_properties(QCustomPlotQt6::QCustomPlotQt6 PROPERTIES
        IMPORTED_LOCATION "${PHOTOTUNE_QCUSTOMPLOT_LIBRARY}"
        INTERFACE_INCLUDE_DIRECTORIES "${PHOTOTUNE_QCUSTOMPLOT_INCLUDE}"
        INTERFACE_COMPILE_DEFINITIONS QCUSTOMPLOT_USE_LIBRARY
        INTERFACE_LINK_LIBRARIES "Qt6::Widgets;Qt6::PrintSupport")
    endif()
  endif()
endif()
