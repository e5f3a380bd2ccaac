#pragma once
// A mock of the Telegram Bot API send side for integration tests: a real HTTP server on
// 127.0.0.1:0 (dgw::http::server on background threads) answering sendMessage and
// answerCallbackQuery as Telegram does, recording every call, and failing on demand
// (5xx, 429 with retry_after, 403 for a blocked chat, slow answers); and getFile with the
// file download (GET /file/bot<token>/photos/<name>) for the files a test adds.
//
// Thread-safe: the test thread configures and inspects it while the io threads serve.

#include "support/running_server.hpp"

#include <dgw/core/net.hpp>
#include <dgw/http/types.hpp>

#include <nlohmann/json.hpp>

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

namespace dgw::test {

class mock_telegram {
public:
    /// One request as it arrived.
    struct call {
        std::size_t seq = 0;  ///< arrival order, from 0
        std::string method;   ///< "sendMessage", "answerCallbackQuery", or whatever was asked
        std::string chat_id;  ///< as a string, "" when absent
        std::string text;     ///< sendMessage text
        nlohmann::json reply_markup;    ///< null when absent
        std::string callback_query_id;  ///< answerCallbackQuery
        nlohmann::json body;            ///< the whole JSON body (discarded when it was not JSON)
        unsigned status = 0;            ///< the status the mock answered (or will, after a delay)
    };

    /// Starts serving at once. Only "/bot<bot_token>/<method>" is known; other tokens get 404.
    explicit mock_telegram(std::string bot_token, int threads = 2);
    ~mock_telegram();
    mock_telegram(const mock_telegram&) = delete;
    mock_telegram& operator=(const mock_telegram&) = delete;

    std::uint16_t port() const;
    /// "http://127.0.0.1:<port>": the channel's api_base.
    std::string api_base() const;

    /// Every call so far, in arrival order.
    std::vector<call> calls() const;
    std::size_t call_count() const;

    /// Blocks until at least `n` calls have arrived or `max` has passed; true when they did.
    /// The one place a test may block, and only with a deadline.
    bool wait_for_calls(std::size_t n, std::chrono::milliseconds max) const;

    /// The next `n` calls get `status` (500 by default) with a Telegram error body.
    void fail_next(std::size_t n, unsigned status = 500);
    /// The next `n` calls get 429 "Too Many Requests" with parameters.retry_after.
    void rate_limit_next(std::size_t n, int retry_after_seconds = 1);
    /// sendMessage to this chat gets 403 "Forbidden: bot was blocked by the user".
    void block_chat(std::string chat_id);
    /// A photo a citizen sent: getFile for `file_id` answers file_path "photos/<name>", and
    /// the download gives `bytes`.
    void add_file(std::string file_id, std::string name, std::string bytes);
    /// The file is no longer kept (Telegram forgot it, its link expired): getFile answers 400
    /// and the download 404.
    void remove_file(const std::string& file_id);
    /// The next `n` calls are answered only after `delay` (an asio timer, not a sleep), so a
    /// client with a shorter timeout gives up.
    void delay_next(std::size_t n, std::chrono::milliseconds delay);

private:
    net::awaitable<http::response> handle(http::request_context& ctx);
    net::awaitable<http::response> download(http::request_context& ctx);
    http::response decide(const http::request_context& ctx, std::chrono::milliseconds& delay);
    http::router routes();

    const std::string token_;
    const std::int64_t bot_id_;
    mutable std::mutex mu_;
    mutable std::condition_variable arrived_;
    std::vector<call> calls_;
    std::map<std::string, std::string> file_names_;  // file_id -> name under photos/
    std::map<std::string, std::string> files_;       // name -> bytes
    std::size_t fail_left_ = 0;
    unsigned fail_status_ = 500;
    std::size_t rate_limit_left_ = 0;
    int retry_after_ = 1;
    std::set<std::string> blocked_;
    std::size_t delay_left_ = 0;
    std::chrono::milliseconds delay_{0};
    std::int64_t next_message_id_ = 1;
    // Last: the server stops (and its handlers finish) before the state above goes away.
    std::unique_ptr<running_server> server_;
};

}  // namespace dgw::test
