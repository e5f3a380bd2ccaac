#pragma once
/// A QR code as an SVG image (libqrencode for the symbol, issue 19 item 2: an official prints
/// the invitation to a themed session, and a citizen's phone camera opens the chat on it).

#include <string>
#include <string_view>

namespace dgw::api {

/// The QR code of `text` (8-bit mode, error correction M, a quiet zone of four modules) as a
/// self-contained SVG document, black on white, scalable. Throws std::runtime_error when the
/// text does not fit a QR code (over ~2,300 bytes).
std::string qr_svg(std::string_view text);

}  // namespace dgw::api
