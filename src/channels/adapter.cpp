#include <dgw/channels/adapter.hpp>

namespace dgw::channels {

std::string webhook_request::header(std::string_view name) const {
    // The HTTP layer stores names in lower case; `name` is given in lower case by contract.
    auto it = headers.find(std::string(name));
    return it == headers.end() ? std::string() : it->second;
}

}  // namespace dgw::channels
