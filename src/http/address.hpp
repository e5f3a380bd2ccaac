#pragma once
// Socket addresses as core::ip_address, for the rules that depend on where a peer is.

#include <boost/asio/ip/address.hpp>
#include <dgw/core/ip_address.hpp>

namespace dgw::http {

inline core::ip_address to_ip(const boost::asio::ip::address& a) {
    if (a.is_v4()) return core::ip_from_v4(a.to_v4().to_bytes());
    return core::ip_from_v6(a.to_v6().to_bytes());
}

}  // namespace dgw::http
