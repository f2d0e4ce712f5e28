# phototune_add_test(NAME name SOURCES a.cpp ... [LIBS ...] [LABELS ...] [SANITIZE])
# Builds one Qt Test program and registers it with CTest. SANITIZE marks a test that also runs in
# the AddressSanitizer + UBSan build (it must then link only phototune_core_base).
function(phototune_add_test)
  cmake_parse_arguments(ARG "SANITIZE" "NAME" "SOURCES;LIBS;LABELS" ${ARGN})
  if(PHOTOTUNE_SANITIZER_BUILD AND NOT ARG_SANITIZE)
    return()
  endif()
  add_executable(${ARG_NAME} ${ARG_SOURCES})
  target_link_libraries(${ARG_NAME} PRIVATE phototune_test_support ${ARG_LIBS})
  phototune_set_warnings(${ARG_NAME})
  add_test(NAME ${ARG_NAME} COMMAND ${ARG_NAME})
  set(labels ${ARG_LABELS})
  if(ARG_SANITIZE)
    list(APPEND labels sanitize)
  endif()
  set_tests_properties(${ARG_NAME} PROPERTIES
    LABELS "${labels}"
    # Tests keep their image and vocabulary caches in the build folder, not the user's.
    ENVIRONMENT "QT_QPA_PLATFORM=offscreen;PHOTOTUNE_FIXTURES_DIR=${PHOTOTUNE_FIXTURES_DIR};PHOTOTUNE_CACHE_DIR=${CMAKE_BINARY_DIR}/test-cache"
    TIMEOUT 900)
endfunction()
