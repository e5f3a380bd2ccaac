#include "dgw/core/words.hpp"

#include <algorithm>

namespace dgw::core {

std::string fill(std::string_view text, const nlohmann::json& params) {
    std::string out;
    out.reserve(text.size());
    std::size_t i = 0;
    while (i < text.size()) {
        const auto open = text.find('{', i);
        const auto close = open == std::string_view::npos ? open : text.find('}', open);
        if (close == std::string_view::npos) break;
        out.append(text.substr(i, open - i));
        const std::string name(text.substr(open + 1, close - open - 1));
        const auto it = params.is_object() ? params.find(name) : params.end();
        if (params.is_object() && it != params.end())
            out += it->is_string() ? it->get<std::string>() : it->dump();
        else
            out.append(text.substr(open, close - open + 1));
        i = close + 1;
    }
    out.append(text.substr(std::min(i, text.size())));
    return out;
}

std::vector<std::string> placeholders(std::string_view text) {
    std::vector<std::string> names;
    for (auto open = text.find('{'); open != std::string_view::npos;
         open = text.find('{', open + 1)) {
        const auto close = text.find('}', open);
        if (close == std::string_view::npos) break;
        names.emplace_back(text.substr(open + 1, close - open - 1));
    }
    return names;
}

const words* find_words(std::span<const words> catalogue, std::string_view code) {
    const auto it = std::find_if(catalogue.begin(), catalogue.end(),
                                 [&](const words& w) { return w.code == code; });
    return it == catalogue.end() ? nullptr : &*it;
}

}  // namespace dgw::core
