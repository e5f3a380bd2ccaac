#include "support/mock_telegram.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <charconv>
#include <utility>

namespace dgw::test {

namespace {

using json = nlohmann::json;

// Telegram's error body: {"ok":false,"error_code":N,"description":"..."}.
http::response api_error(unsigned code, std::string description, json parameters = nullptr) {
    json body{{"ok", false}, {"error_code", code}, {"description", std::move(description)}};
    if (!parameters.is_null()) body["parameters"] = std::move(parameters);
    return http::json_response(static_cast<http::status>(code), body);
}

// Telegram limits a text to 4096 characters as it counts them (UTF-16 code units).
std::size_t utf16_length(const std::string& s) {
    std::size_t n = 0;
    for (unsigned char c : s) {
        if ((c & 0xC0) != 0x80) ++n;  // a lead byte starts a code point
        if ((c & 0xF8) == 0xF0) ++n;  // 4-byte sequences are surrogate pairs in UTF-16
    }
    return n;
}

std::int64_t bot_id_of(const std::string& token) {
    std::int64_t id = 1;
    std::from_chars(token.data(), token.data() + token.size(), id);
    return id;
}

}  // namespace

mock_telegram::mock_telegram(std::string bot_token, int threads)
    : token_(std::move(bot_token)), bot_id_(bot_id_of(token_)) {
    server_ = std::make_unique<running_server>(http::server_options{}, routes(), threads);
}

mock_telegram::~mock_telegram() { server_.reset(); }

http::router mock_telegram::routes() {
    http::router r;
    // A forwarding lambda, not a lambda coroutine (STYLE.md §3).
    r.add(http::verb::post, "/{bot}/{method}",
          [this](http::request_context& ctx) { return handle(ctx); });
    r.add(http::verb::get, "/file/{bot}/photos/{name}",
          [this](http::request_context& ctx) { return download(ctx); });
    return r;
}

void mock_telegram::add_file(std::string file_id, std::string name, std::string bytes) {
    std::lock_guard lock(mu_);
    file_names_[std::move(file_id)] = name;
    files_[std::move(name)] = std::move(bytes);
}

void mock_telegram::remove_file(const std::string& file_id) {
    std::lock_guard lock(mu_);
    auto it = file_names_.find(file_id);
    if (it == file_names_.end()) return;
    files_.erase(it->second);
    file_names_.erase(it);
}

net::awaitable<http::response> mock_telegram::download(http::request_context& ctx) {
    std::lock_guard lock(mu_);
    if (ctx.params.at("bot") != "bot" + token_) co_return api_error(404, "Not Found");
    auto it = files_.find(ctx.params.at("name"));
    if (it == files_.end()) co_return api_error(404, "Not Found");
    co_return http::text_response(http::status::ok, it->second, "image/jpeg");
}

std::uint16_t mock_telegram::port() const { return server_->port(); }

std::string mock_telegram::api_base() const { return "http://127.0.0.1:" + std::to_string(port()); }

std::vector<mock_telegram::call> mock_telegram::calls() const {
    std::lock_guard lock(mu_);
    return calls_;
}

std::size_t mock_telegram::call_count() const {
    std::lock_guard lock(mu_);
    return calls_.size();
}

bool mock_telegram::wait_for_calls(std::size_t n, std::chrono::milliseconds max) const {
    std::unique_lock lock(mu_);
    return arrived_.wait_for(lock, max, [&] { return calls_.size() >= n; });
}

void mock_telegram::fail_next(std::size_t n, unsigned status) {
    std::lock_guard lock(mu_);
    fail_left_ = n;
    fail_status_ = status;
}

void mock_telegram::rate_limit_next(std::size_t n, int retry_after_seconds) {
    std::lock_guard lock(mu_);
    rate_limit_left_ = n;
    retry_after_ = retry_after_seconds;
}

void mock_telegram::block_chat(std::string chat_id) {
    std::lock_guard lock(mu_);
    blocked_.insert(std::move(chat_id));
}

void mock_telegram::delay_next(std::size_t n, std::chrono::milliseconds delay) {
    std::lock_guard lock(mu_);
    delay_left_ = n;
    delay_ = delay;
}

net::awaitable<http::response> mock_telegram::handle(http::request_context& ctx) {
    std::chrono::milliseconds delay{0};
    http::response res = decide(ctx, delay);
    if (delay.count() > 0) {
        // A timer, not a sleep: other requests on the same io thread keep being served.
        net::steady_timer timer(co_await net::this_coro::executor, delay);
        co_await timer.async_wait(net::as_tuple(net::use_awaitable));
    }
    co_return res;
}

http::response mock_telegram::decide(const http::request_context& ctx,
                                     std::chrono::milliseconds& delay) {
    call c;
    c.method = ctx.params.at("method");
    c.body = json::parse(ctx.req.body(), nullptr, false);
    if (c.body.is_object()) {
        if (auto it = c.body.find("chat_id"); it != c.body.end())
            c.chat_id = it->is_string() ? it->get<std::string>() : it->dump();
        if (auto it = c.body.find("text"); it != c.body.end() && it->is_string())
            c.text = it->get<std::string>();
        if (auto it = c.body.find("reply_markup"); it != c.body.end()) c.reply_markup = *it;
        if (auto it = c.body.find("callback_query_id"); it != c.body.end() && it->is_string())
            c.callback_query_id = it->get<std::string>();
    }

    std::lock_guard lock(mu_);
    c.seq = calls_.size();
    if (delay_left_ > 0) {
        --delay_left_;
        delay = delay_;
    }
    auto answer = [&](http::response res) {
        c.status = res.result_int();
        calls_.push_back(std::move(c));
        arrived_.notify_all();
        return res;
    };

    // Telegram answers an unknown token or method with 404 "Not Found".
    if (ctx.params.at("bot") != "bot" + token_) return answer(api_error(404, "Not Found"));
    if (fail_left_ > 0) {
        --fail_left_;
        return answer(api_error(fail_status_, "Internal Server Error"));
    }
    if (rate_limit_left_ > 0) {
        --rate_limit_left_;
        return answer(api_error(429,
                                "Too Many Requests: retry after " + std::to_string(retry_after_),
                                json{{"retry_after", retry_after_}}));
    }
    if (!c.body.is_object()) return answer(api_error(400, "Bad Request: invalid JSON body"));

    if (c.method == "sendMessage") {
        if (c.chat_id.empty()) return answer(api_error(400, "Bad Request: chat_id is empty"));
        if (blocked_.count(c.chat_id))
            return answer(api_error(403, "Forbidden: bot was blocked by the user"));
        if (c.text.empty()) return answer(api_error(400, "Bad Request: message text is empty"));
        if (utf16_length(c.text) > 4096)
            return answer(api_error(400, "Bad Request: message is too long"));
        const auto now = std::chrono::duration_cast<std::chrono::seconds>(
            std::chrono::system_clock::now().time_since_epoch());
        json message{{"message_id", next_message_id_++},
                     {"from",
                      {{"id", bot_id_},
                       {"is_bot", true},
                       {"first_name", "Mock Bot"},
                       {"username", "mock_bot"}}},
                     {"chat", {{"id", c.body["chat_id"]}, {"type", "private"}}},
                     {"date", now.count()},
                     {"text", c.text}};
        return answer(http::json_response(http::status::ok, {{"ok", true}, {"result", message}}));
    }
    if (c.method == "getFile") {
        auto id = c.body.value("file_id", std::string());
        auto it = file_names_.find(id);
        if (it == file_names_.end()) return answer(api_error(400, "Bad Request: invalid file_id"));
        json file{{"file_id", id},
                  {"file_unique_id", "u" + it->second},
                  {"file_size", files_[it->second].size()},
                  {"file_path", "photos/" + it->second}};
        return answer(http::json_response(http::status::ok, {{"ok", true}, {"result", file}}));
    }
    if (c.method == "answerCallbackQuery") {
        if (c.callback_query_id.empty())
            return answer(api_error(400,
                                    "Bad Request: query is too old and response timeout "
                                    "expired or query ID is invalid"));
        return answer(http::json_response(http::status::ok, {{"ok", true}, {"result", true}}));
    }
    return answer(api_error(404, "Not Found"));
}

}  // namespace dgw::test
