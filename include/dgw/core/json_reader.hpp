#pragma once
/// Strict reading of trusted JSON documents (config, flows, dialogue data) into typed structs.
///
/// A json_reader walks one object and records every problem it finds — a missing required key,
/// a value of the wrong type, a bad value, and (at finish()) every key nobody asked for — as a
/// `problem` with its JSON Pointer path, so that `check` commands can print them all at once
/// instead of stopping at the first.

#include "dgw/core/words.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace dgw::core {

/// One thing wrong with a document: where (a JSON Pointer such as "/server/threads") and what.
/// A problem from a catalogue (the shapes below, a flow's own) also has the entry's code and the
/// values its words name, so that a page can show it in its own language (`localized`).
struct problem {
    std::string path;
    std::string message;  ///< in English: the command line's and the logs' words
    std::string code = {};  ///< the catalogue entry, or "" for words written in place
    nlohmann::json params = nlohmann::json::object();
};

/// "path: message", the form every check command prints.
std::string to_string(const problem& p);

/// What can be wrong with any document's shape, whatever it describes (the catalogue is
/// shape_words(), in this order).
enum class shape : std::uint8_t {
    required,
    wrong_type,          ///< {type}: the JSON type found
    not_object,          ///< {type}
    not_array,
    not_string,
    not_string_list,     ///< {type}
    not_whole_number,
    whole_number_range,  ///< {min}, {max}
    unknown_key,
    not_json,            ///< {detail}: the parser's words; {line}, {column}
    number_too_large,    ///< {number}, {line}, {column}
    unreadable,          ///< {file}
};

std::span<const words> shape_words();

/// A problem of the shape catalogue at `path`, its message filled in English.
problem shape_problem(std::string path, shape what,
                      nlohmann::json params = nlohmann::json::object());

/// A problem from `catalogue` (whose entries are indexed by `id`) at `path`.
problem catalogue_problem(std::span<const words> catalogue, std::size_t id, std::string path,
                          nlohmann::json params);

/// The problem's message in `lang` ("en", else Vietnamese), from `catalogue` or the shape
/// catalogue by its code; a problem with no known code keeps the words it was written with.
std::string localized(const problem& p, std::string_view lang,
                      std::span<const words> catalogue = {});

/// Escapes one key for a JSON Pointer ("a/b" -> "a~1b").
std::string pointer_escape(std::string_view key);

/// Parses JSON text of any origin without throwing. On failure, `error` (when given) says
/// where: the JSON Pointer of the value being read and, in the message, the line and column.
/// Syntax errors and numbers nlohmann cannot hold (`1e999`, reported by the library as
/// out_of_range rather than as a parse error) are failures alike; so is anything else the
/// library throws.
std::optional<nlohmann::json> parse_json(std::string_view text, problem* error = nullptr);

class json_reader {
public:
    /// `doc` must outlive the reader; problems are appended to `out`.
    json_reader(const nlohmann::json& doc, std::string path, std::vector<problem>& out);

    /// False when the document is not an object (a problem was recorded).
    bool ok() const noexcept { return ok_; }
    const std::string& path() const noexcept { return path_; }
    std::string path_of(std::string_view key) const;

    /// Reads a required key into `out`; records a problem and returns false if it is
    /// missing or of the wrong type.
    template <class T>
    bool required(std::string_view key, T& out) {
        const nlohmann::json* v = find(key);
        if (!v) {
            if (ok_) fail(key, shape_problem({}, shape::required));
            return false;
        }
        return convert(key, *v, out);
    }

    /// Reads an optional key; `out` keeps its default when the key is absent.
    template <class T>
    bool optional(std::string_view key, T& out) {
        const nlohmann::json* v = find(key);
        if (!v) return true;
        return convert(key, *v, out);
    }

    /// The raw value of a key (marked as known), or nullptr when absent.
    const nlohmann::json* find(std::string_view key);

    /// A reader for a nested object. When the key is absent and not required, the child
    /// reads an empty object, so optional sub-objects get their defaults.
    json_reader child(std::string_view key, bool is_required = false);

    /// Records a problem at this object's key.
    void fail(std::string_view key, std::string message);
    /// Records a catalogued problem (its path left empty) at this object's key.
    void fail(std::string_view key, problem p);

    /// Records a problem for every key that was never asked for. Call once, at the end.
    void finish();

    std::vector<problem>& problems() noexcept { return out_; }

private:
    template <class T>
    struct integer_list : std::false_type {};
    template <class I>
    struct integer_list<std::vector<I>>
        : std::bool_constant<std::is_integral_v<I> && !std::is_same_v<I, bool>> {};

    template <class T>
    bool convert(std::string_view key, const nlohmann::json& v, T& out) {
        if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>) {
            // nlohmann converts 1.5 and 1e300 to integers with a plain cast (1, or undefined
            // behaviour), and -1 to a huge unsigned: a whole number in T's range or nothing.
            return convert_integer(key, v, out);
        } else if constexpr (integer_list<T>::value) {
            // The same for each element of a list ("months": [3, 1e61] was cast, found by
            // fuzzing the dialogue file).
            if (!v.is_array()) {
                fail(key, shape_problem({}, shape::wrong_type, {{"type", v.type_name()}}));
                return false;
            }
            T items(v.size());
            for (std::size_t i = 0; i < v.size(); ++i)
                if (!convert_integer(key, v[i], items[i], i)) return false;
            out = std::move(items);
            return true;
        }
        try {
            out = v.get<T>();
            return true;
        } catch (const nlohmann::json::exception&) {
            fail(key, shape_problem({}, shape::wrong_type, {{"type", v.type_name()}}));
            return false;
        }
    }

    // `item`: the position of `v` in the list at `key`, named in a problem's path.
    template <class T>
    bool convert_integer(std::string_view key, const nlohmann::json& v, T& out,
                         std::optional<std::size_t> item = std::nullopt) {
        const auto fail = [&](std::string_view k, problem p) {
            if (item) {
                p.path = path_of(k) + "/" + std::to_string(*item);
                out_.push_back(std::move(p));
            } else {
                this->fail(k, std::move(p));
            }
        };
        if (!v.is_number()) {
            fail(key, shape_problem({}, shape::wrong_type, {{"type", v.type_name()}}));
            return false;
        }
        if (!v.is_number_integer()) {
            fail(key, shape_problem({}, shape::not_whole_number));
            return false;
        }
        constexpr auto lo = std::numeric_limits<T>::min();
        constexpr auto hi = std::numeric_limits<T>::max();
        bool fits = false;
        if (v.is_number_unsigned()) {
            fits = v.get<std::uint64_t>() <= static_cast<std::uint64_t>(hi);
        } else {
            const auto n = v.get<std::int64_t>();
            fits = std::cmp_greater_equal(n, lo) && std::cmp_less_equal(n, hi);
        }
        if (!fits) {
            fail(key, shape_problem({}, shape::whole_number_range,
                                    {{"min", std::to_string(lo)}, {"max", std::to_string(hi)}}));
            return false;
        }
        out = v.is_number_unsigned() ? static_cast<T>(v.get<std::uint64_t>())
                                     : static_cast<T>(v.get<std::int64_t>());
        return true;
    }

    static const nlohmann::json& empty_object();

    const nlohmann::json& doc_;
    std::string path_;
    std::vector<problem>& out_;
    std::set<std::string, std::less<>> seen_;
    bool ok_ = true;
};

/// Replaces `${NAME}` in every string value of `doc` with `lookup(NAME)`. A variable the lookup
/// does not know is a problem naming it and the path where it was used; `$${` stands for a
/// literal `${`.
void expand_env(nlohmann::json& doc,
                const std::function<std::optional<std::string>(const std::string&)>& lookup,
                std::vector<problem>& out);

}  // namespace dgw::core
