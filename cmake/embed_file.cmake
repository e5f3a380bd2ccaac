# cmake -DINPUT=f -DOUTPUT=f.cpp -DSYMBOL=name -DNAMESPACE=ns -P embed_file.cmake
# Writes the bytes of INPUT as a char array (hex, so any content is safe) and a string_view.
file(READ ${INPUT} hex HEX)
string(LENGTH "${hex}" hex_length)
math(EXPR size "${hex_length} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "'\\\\x\\1'," bytes "${hex}")
# 16 bytes a line keeps the generated file diffable and the compiler's lines short.
string(REGEX REPLACE "(('\\\\x[0-9a-f][0-9a-f]',){16})" "\\1\n" bytes "${bytes}")
file(WRITE ${OUTPUT} "// Generated from ${INPUT} by cmake/embed_file.cmake: do not edit.
#include <string_view>

namespace ${NAMESPACE} {
namespace {
constexpr char data[${size} + 1] = {
${bytes}'\\0'};
}  // namespace
extern const std::string_view ${SYMBOL};
const std::string_view ${SYMBOL}(data, ${size});
}  // namespace ${NAMESPACE}
")
