// `concerns` and `messages`: operators' views of the store, safe to run next to a serving
// gateway (SQLite in WAL mode lets readers in while it writes).

#include "app/commands.hpp"
#include "app/config_file.hpp"

#include <dgw/store/sqlite_store.hpp>

#include <nlohmann/json.hpp>

#include <iostream>

namespace dgw::app {
namespace {

std::string utc(store::time_point t) {
    auto secs = std::chrono::floor<std::chrono::seconds>(t);
    auto day = std::chrono::floor<std::chrono::days>(secs);
    std::chrono::year_month_day ymd{day};
    std::chrono::hh_mm_ss hms{secs - day};
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02lld:%02lld:%02lldZ", int(ymd.year()),
                  unsigned(ymd.month()), unsigned(ymd.day()),
                  static_cast<long long>(hms.hours().count()),
                  static_cast<long long>(hms.minutes().count()),
                  static_cast<long long>(hms.seconds().count()));
    return buf;
}

std::unique_ptr<store::store> open_store(const std::string& config_path) {
    auto loaded = load_config_file(config_path);
    if (!loaded.problems.empty()) {
        for (const auto& p : loaded.problems)
            std::cerr << config_path << ": " << core::to_string(p) << "\n";
        return nullptr;
    }
    try {
        return store::open_sqlite({loaded.config.store.sqlite_path, true});
    } catch (const store::unavailable& e) {
        std::cerr << e.what() << "\n";
        return nullptr;
    }
}

int run_concerns(const std::string& config_path, const std::string& session, std::size_t limit,
                 bool json) {
    auto db = open_store(config_path);
    if (!db) return 1;
    for (const auto& c : db->list_concerns(session, limit)) {
        if (json) {
            nlohmann::json j = {{"ref", c.ref},         {"status", c.status},
                                {"topic", c.topic},     {"commune_code", c.commune_code},
                                {"commune", c.commune_name}, {"session", c.session_id},
                                {"urgent", c.urgent},   {"anonymous", c.anonymous},
                                {"channel", c.channel}, {"created_at", utc(c.created_at)},
                                {"text", c.text},       {"route_reason", c.route_reason}};
            std::cout << j.dump() << "\n";
        } else {
            std::cout << c.ref << "  " << c.status << "  " << c.session_id << "  " << c.topic
                      << "  " << c.commune_name << (c.urgent ? "  URGENT" : "") << "\n    "
                      << c.text << "\n";
        }
    }
    return 0;
}

int run_messages(const std::string& config_path, std::optional<std::int64_t> contact,
                 std::size_t limit, bool json) {
    auto db = open_store(config_path);
    if (!db) return 1;
    // Inbound and outbound, newest first, merged by time.
    struct line {
        store::time_point at;
        nlohmann::json j;
    };
    std::vector<line> lines;
    for (const auto& in : db->list_inbox(contact, limit)) {
        lines.push_back({in.received_at,
                         {{"direction", "in"}, {"id", in.id}, {"channel", in.channel},
                          {"user_id", in.event.user_id}, {"kind", core::to_string(in.event.kind)},
                          {"text", in.event.text.empty() ? in.event.choice_id : in.event.text},
                          {"at", utc(in.received_at)}}});
    }
    for (const auto& out : db->list_outbox({contact, limit})) {
        nlohmann::json j = {{"direction", "out"}, {"id", out.id},       {"channel", out.channel},
                            {"user_id", out.user_id}, {"kind", out.kind}, {"status", out.status},
                            {"attempts", out.attempts}, {"at", utc(out.created_at)}};
        if (out.kind == "message") j["text"] = out.payload.value("text", "");
        if (!out.last_error.empty()) j["error"] = out.last_error;
        if (out.in_doubt) j["in_doubt"] = true;
        lines.push_back({out.created_at, j});
    }
    std::stable_sort(lines.begin(), lines.end(),
                     [](const line& a, const line& b) { return a.at > b.at; });
    if (lines.size() > limit) lines.resize(limit);
    for (const auto& l : lines) {
        if (json) {
            std::cout << l.j.dump() << "\n";
        } else {
            const auto& j = l.j;
            std::cout << j["at"].get<std::string>() << "  " << (j["direction"] == "in" ? "<-" : "->")
                      << "  " << j["channel"].get<std::string>() << ":"
                      << j["user_id"].get<std::string>() << "  "
                      << (j.contains("status") ? j["status"].get<std::string>() + "  " : "")
                      << j.value("text", j["kind"].get<std::string>())
                      << (j.contains("error") ? "  (" + j["error"].get<std::string>() + ")" : "")
                      << "\n";
        }
    }
    return 0;
}

}  // namespace

void add_store_commands(CLI::App& root, command_action& action) {
    static std::string config_path = "config/gateway.json";
    static std::string session;
    static std::int64_t contact = 0;
    static std::size_t limit = 100;
    static bool json = false;

    auto* concerns = root.add_subcommand("concerns", "List filed concerns (newest last)");
    concerns->add_option("--config", config_path, "Gateway configuration file")->capture_default_str();
    concerns->add_option("--session", session, "Only this dialogue session id");
    concerns->add_option("--limit", limit, "At most this many")->capture_default_str();
    concerns->add_flag("--json", json, "One JSON object per line");
    concerns->callback([&action] {
        action = [] { return run_concerns(config_path, session, limit, json); };
    });

    auto* messages = root.add_subcommand("messages", "The message log: inbound and outbound");
    messages->add_option("--config", config_path, "Gateway configuration file")->capture_default_str();
    auto* c = messages->add_option("--contact", contact, "Only this contact id");
    messages->add_option("--limit", limit, "At most this many")->capture_default_str();
    messages->add_flag("--json", json, "One JSON object per line");
    messages->callback([&action, c] {
        std::optional<std::int64_t> who;
        if (c->count() > 0) who = contact;
        action = [who] { return run_messages(config_path, who, limit, json); };
    });
}

}  // namespace dgw::app
