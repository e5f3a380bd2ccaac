#pragma once
/// Namespace aliases for Asio and Beast, declared once (STYLE.md §7). Beast's HTTP namespace is
/// spelt `beast::http` because `dgw::http` is our own module. Include only the narrow headers
/// you use next to this one.

namespace boost::asio {}
namespace boost::beast {}

namespace dgw {
namespace net = boost::asio;
namespace beast = boost::beast;
}  // namespace dgw
