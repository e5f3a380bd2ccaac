# dgw_embed_file(TARGET <target> INPUT <file> SYMBOL <name> NAMESPACE <ns>)
# Compiles <file> into <target> as `extern const std::string_view <ns>::<name>`, regenerated
# whenever the file changes, so static web pages ship inside the binary and stay readable
# (and editable) as ordinary files in the source tree.
function(dgw_embed_file)
  cmake_parse_arguments(ARG "" "TARGET;INPUT;SYMBOL;NAMESPACE" "" ${ARGN})
  set(out ${CMAKE_CURRENT_BINARY_DIR}/embedded/${ARG_SYMBOL}.cpp)
  add_custom_command(
    OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -DINPUT=${ARG_INPUT} -DOUTPUT=${out} -DSYMBOL=${ARG_SYMBOL}
            -DNAMESPACE=${ARG_NAMESPACE} -P ${PROJECT_SOURCE_DIR}/cmake/embed_file.cmake
    DEPENDS ${ARG_INPUT} ${PROJECT_SOURCE_DIR}/cmake/embed_file.cmake
    COMMENT "Embedding ${ARG_INPUT}"
    VERBATIM)
  target_sources(${ARG_TARGET} PRIVATE ${out})
endfunction()
