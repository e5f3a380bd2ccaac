#include "dgw/config/gateway_config.hpp"

#include <charconv>

namespace dgw::config {

bool split_listen(std::string_view listen, std::string& host, std::uint16_t& port) {
    std::string_view h, p;
    if (listen.starts_with('[')) {
        auto close = listen.find("]:");
        if (close == std::string_view::npos) return false;
        h = listen.substr(1, close - 1);
        p = listen.substr(close + 2);
    } else {
        auto colon = listen.rfind(':');
        if (colon == std::string_view::npos) return false;
        h = listen.substr(0, colon);
        p = listen.substr(colon + 1);
        if (h.find(':') != std::string_view::npos) return false;  // bare IPv6 needs brackets
    }
    if (h.empty() || p.empty()) return false;
    unsigned value = 0;
    auto [end, ec] = std::from_chars(p.data(), p.data() + p.size(), value);
    if (ec != std::errc{} || end != p.data() + p.size() || value > 65535) return false;
    host = std::string(h);
    port = static_cast<std::uint16_t>(value);
    return true;
}

namespace {

void read_server(core::json_reader r, server_config& s) {
    if (r.optional("listen", s.listen) && !split_listen(s.listen, s.host, s.port))
        r.fail("listen", "must be \"host:port\" (IPv6 as \"[::1]:8080\"), got \"" + s.listen + "\"");
    if (r.optional("threads", s.threads) && s.threads > 256)
        r.fail("threads", "must be between 0 (= number of cores) and 256");
    if (r.optional("max_body_bytes", s.max_body_bytes) && s.max_body_bytes == 0)
        r.fail("max_body_bytes", "must be at least 1");
    if (r.optional("max_header_bytes", s.max_header_bytes) && s.max_header_bytes < 1024)
        r.fail("max_header_bytes", "must be at least 1024");
    if (r.optional("max_connections", s.max_connections) && s.max_connections == 0)
        r.fail("max_connections", "must be at least 1");
    auto positive = [&](const char* key, double& v) {
        if (r.optional(key, v) && !(v > 0)) r.fail(key, "must be a positive number of seconds");
    };
    positive("drain_seconds", s.drain_seconds);
    positive("read_timeout_seconds", s.read_timeout_seconds);
    positive("idle_timeout_seconds", s.idle_timeout_seconds);
    if (r.find("tls")) {
        auto t = r.child("tls");
        tls_config tls;
        t.required("cert_file", tls.cert_file);
        t.required("key_file", tls.key_file);
        t.finish();
        s.tls = std::move(tls);
    }
    r.finish();
}

void read_log(core::json_reader r, log_config& l) {
    std::string level;
    if (r.optional("level", level) && !level.empty() && !core::parse_log_level(level, l.level))
        r.fail("level", "must be one of trace, debug, info, warn, error, off; got \"" + level + "\"");
    r.finish();
}

}  // namespace

parse_result parse_gateway_config(std::string_view text, const env_lookup& env) {
    parse_result out;
    auto doc = nlohmann::json::parse(text, nullptr, false);
    if (doc.is_discarded()) {
        out.problems.push_back({"", "not valid JSON"});
        return out;
    }
    core::expand_env(doc, env, out.problems);
    core::json_reader root(doc, "", out.problems);
    if (!root.ok()) return out;
    read_server(root.child("server"), out.config.server);
    read_log(root.child("log"), out.config.log);
    root.finish();
    return out;
}

}  // namespace dgw::config
