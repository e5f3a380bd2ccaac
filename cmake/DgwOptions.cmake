# Per-target options, linked by every module instead of global flags (STYLE.md §10).
add_library(dgw_warnings INTERFACE)
target_compile_options(dgw_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wnon-virtual-dtor)
if(DGW_WERROR)
  target_compile_options(dgw_warnings INTERFACE -Werror)
endif()

add_library(dgw_sanitize INTERFACE)
if(DGW_FUZZ)
  # Coverage instrumentation for every module; the fuzz targets add -fsanitize=fuzzer.
  # Undefined behaviour stops the run like a crash (it only printed a line before), so that
  # fuzzing finds it.
  target_compile_options(dgw_sanitize INTERFACE
    -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined
    -fno-sanitize=function -fno-omit-frame-pointer)
  target_link_options(dgw_sanitize INTERFACE -fsanitize=address,undefined)
elseif(DGW_SANITIZE)
  set(_dgw_san -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
  if(CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    # clang-14 cannot assemble coroutine code with -fsanitize=function.
    list(APPEND _dgw_san -fno-sanitize=function)
  endif()
  target_compile_options(dgw_sanitize INTERFACE ${_dgw_san})
  target_link_options(dgw_sanitize INTERFACE ${_dgw_san})
endif()

# dgw_add_module(NAME SOURCES ... PUBLIC_DEPS ... PRIVATE_DEPS ...)
# One static library per module, named dgw_<NAME>, exporting include/.
function(dgw_add_module name)
  cmake_parse_arguments(ARG "" "" "SOURCES;PUBLIC_DEPS;PRIVATE_DEPS" ${ARGN})
  add_library(dgw_${name} STATIC ${ARG_SOURCES})
  target_include_directories(dgw_${name}
    PUBLIC ${PROJECT_SOURCE_DIR}/include
    PRIVATE ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(dgw_${name}
    PUBLIC ${ARG_PUBLIC_DEPS} dgw_sanitize
    PRIVATE ${ARG_PRIVATE_DEPS} dgw_warnings)
endfunction()

# dgw_add_test(NAME LABEL <unit|integration|postgres> SOURCES ... DEPS ... [TIMEOUT s] [RUN_SERIAL]
#              [FIXTURE name])
# One GoogleTest executable; every test in it gets the label and a timeout (30 s by default);
# RUN_SERIAL runs each of its tests with no other test beside it; FIXTURE makes ctest start
# that fixture first (`postgres`: a throwaway server, tests/integration/CMakeLists.txt).
function(dgw_add_test name)
  cmake_parse_arguments(ARG "RUN_SERIAL" "LABEL;TIMEOUT;FIXTURE" "SOURCES;DEPS" ${ARGN})
  if(NOT ARG_TIMEOUT)
    set(ARG_TIMEOUT 30)
  endif()
  set(serial FALSE)
  if(ARG_RUN_SERIAL)
    set(serial TRUE)
  endif()
  add_executable(${name} ${ARG_SOURCES})
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR}/src ${PROJECT_SOURCE_DIR}/tests)
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gtest_main GTest::gmock dgw_warnings
                                        dgw_sanitize)
  target_compile_definitions(${name} PRIVATE
    DGW_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
    DGW_FIXTURES_DIR="${PROJECT_SOURCE_DIR}/tests/fixtures")
  set(fixture "")
  if(ARG_FIXTURE)
    set(fixture FIXTURES_REQUIRED ${ARG_FIXTURE})
  endif()
  gtest_discover_tests(${name}
    PROPERTIES LABELS ${ARG_LABEL} TIMEOUT ${ARG_TIMEOUT} RUN_SERIAL ${serial} ${fixture}
    DISCOVERY_TIMEOUT 60)
endfunction()
