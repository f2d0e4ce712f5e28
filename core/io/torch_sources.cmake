# The LibTorch half of core/io, added to phototune_core. Included by core/CMakeLists.txt once that
# target exists (core/io/CMakeLists.txt runs before it is created).
target_sources(phototune_core PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/tensor_io.h ${CMAKE_CURRENT_LIST_DIR}/tensor_io.cpp
)
