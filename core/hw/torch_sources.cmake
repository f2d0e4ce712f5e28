# The LibTorch half of core/hw, added to phototune_core. Included by core/CMakeLists.txt once that
# target exists (core/hw/CMakeLists.txt runs before it is created).
target_sources(phototune_core PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/throughput_benchmark.h ${CMAKE_CURRENT_LIST_DIR}/throughput_benchmark.cpp
  ${CMAKE_CURRENT_LIST_DIR}/training_probe.h ${CMAKE_CURRENT_LIST_DIR}/training_probe.cpp
)
