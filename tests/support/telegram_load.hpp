#pragma once
// Load for the gateway-as-a-process tests (crash_test.cpp, postgres_cluster_test.cpp): many
// Telegram chats each going through the same conversation, a line at a time, posted as signed
// webhooks; a chat's next line only once the previous one was acknowledged (200), as Telegram
// does, and an unacknowledged one resent unchanged (same update and message id).

#include "support/mock_telegram.hpp"

#include <dgw/store/records.hpp>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

namespace dgw::test {

/// The port in a gateway's "listening on http://host:port/" banner line, or 0.
std::uint16_t port_from_banner(const std::string& line);

/// A citizen filing a concern about a landslide in Bát Xát, unaccented: six lines.
const std::vector<std::string>& landslide_script();

class telegram_load {
public:
    struct chat_state {
        std::int64_t chat = 0;
        std::size_t next_line = 0;  // index into the script of the update being sent
    };

    telegram_load(int chats, std::string secret);

    /// Sends pending lines from `threads` threads, each post to the port `pick()` gives (0 =
    /// none now), until every chat is done. A post that is not acknowledged ends the run when
    /// `give_up_on_failure` (the one gateway is gone), else it is tried again a little later,
    /// maybe at another gateway, until `stop()` returns true. Each thread takes its chats
    /// `window` at a time (0: all at once), a line of each in turn, so that a load stopped
    /// early leaves whole conversations behind it.
    void run(const std::function<std::uint16_t()>& pick, int threads, bool give_up_on_failure,
             const std::function<bool()>& stop = [] { return false; }, std::size_t window = 0);

    bool all_done() const;
    void wait_for_acks(std::size_t n, std::chrono::milliseconds max);
    std::size_t acked_count() const;
    /// "chat:message_id" of every acknowledged update.
    std::set<std::string> acked() const;
    const std::vector<chat_state>& chats() const { return chats_; }
    /// Posts refused (not 200, or no answer).
    std::size_t refused() const;
    /// The refusals by status (0: no answer: the connection refused or cut).
    std::map<unsigned, std::size_t> refusals() const;

private:
    bool done(const chat_state& c) const;
    bool post(std::uint16_t port, chat_state& c);

    std::vector<chat_state> chats_;
    std::string secret_;
    mutable std::mutex mu_;
    std::condition_variable cv_;
    std::set<std::string> acked_;
    std::size_t refused_ = 0;
    std::map<unsigned, std::size_t> refusals_;
};

/// How the replies the store queued compare with what reached the mock platform.
struct delivery_report {
    std::size_t in_doubt = 0;         ///< replies the store flags in doubt
    std::size_t doubled = 0;          ///< of those, delivered more than once
    std::size_t more_than_twice = 0;  ///< of those, delivered more than twice
    /// Every breach: a reply not sent, lost, out of order, delivered again without being in
    /// doubt (or more than `max_extra` times more), or one delivered that was never queued.
    std::vector<std::string> errors;
};

/// Each chat of `load` must have received its queued replies (`outbox`, as list_outbox gives
/// it: newest first) in order, each once, except that a reply in doubt may arrive again right
/// after itself, at most `max_extra` times (once per kill that found it handed over).
delivery_report check_delivery(const telegram_load& load,
                               const std::vector<store::outbox_message>& outbox,
                               const std::vector<mock_telegram::call>& calls, int max_extra);

}  // namespace dgw::test
