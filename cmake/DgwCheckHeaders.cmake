# check_headers: every public header compiles on its own (STYLE.md §8). One generated
# translation unit per header under include/dgw/, built by scripts/test.sh.
file(GLOB_RECURSE _dgw_headers RELATIVE ${PROJECT_SOURCE_DIR}/include CONFIGURE_DEPENDS
     ${PROJECT_SOURCE_DIR}/include/dgw/*.hpp)
set(_dgw_header_tus "")
foreach(h IN LISTS _dgw_headers)
  string(MAKE_C_IDENTIFIER ${h} id)
  set(tu ${PROJECT_BINARY_DIR}/check_headers/${id}.cpp)
  file(CONFIGURE OUTPUT ${tu} CONTENT "#include <${h}>\n")
  list(APPEND _dgw_header_tus ${tu})
endforeach()
add_library(check_headers OBJECT EXCLUDE_FROM_ALL ${_dgw_header_tus})
foreach(m IN LISTS DGW_MODULES)
  if(TARGET dgw_${m})
    target_link_libraries(check_headers PRIVATE dgw_${m})
  endif()
endforeach()
target_link_libraries(check_headers PRIVATE dgw_warnings)
