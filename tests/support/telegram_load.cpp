#include "support/telegram_load.hpp"

#include "support/sync_client.hpp"

#include <nlohmann/json.hpp>

#include <map>
#include <regex>
#include <thread>

namespace dgw::test {

std::uint16_t port_from_banner(const std::string& line) {
    std::smatch m;
    if (!std::regex_search(line, m, std::regex(R"(listening on https?://[^:]+:(\d+)/)"))) return 0;
    return static_cast<std::uint16_t>(std::stoi(m[1]));
}

const std::vector<std::string>& landslide_script() {
    static const std::vector<std::string> script = {
        "xin chao", "1", "1", "bat xat", "duong vao thon bi sat lo, xe may khong di duoc",
        "gui an danh"};
    return script;
}

telegram_load::telegram_load(int chats, std::string secret) : secret_(std::move(secret)) {
    for (int i = 0; i < chats; ++i) chats_.push_back({1'000'000'000'000 + i, 0});
}

bool telegram_load::done(const chat_state& c) const {
    return c.next_line >= landslide_script().size();
}

void telegram_load::run(const std::function<std::uint16_t()>& pick, int threads,
                        bool give_up_on_failure, const std::function<bool()>& stop,
                        std::size_t window) {
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t) {
        pool.emplace_back([this, &pick, &stop, t, threads, give_up_on_failure, window] {
            // This thread's chats, a window of them at a time, a line of each in turn.
            std::vector<chat_state*> mine;
            for (std::size_t i = static_cast<std::size_t>(t); i < chats_.size();
                 i += static_cast<std::size_t>(threads))
                mine.push_back(&chats_[i]);
            const std::size_t w = window == 0 ? mine.size() : window;
            for (std::size_t from = 0; from < mine.size(); from += w) {
                const std::size_t to = std::min(mine.size(), from + w);
                for (bool pending = true; pending;) {
                    if (stop()) return;
                    pending = false;
                    for (std::size_t i = from; i < to; ++i) {
                        auto& c = *mine[i];
                        if (done(c)) continue;
                        pending = true;
                        const auto port = pick();
                        if (port != 0 && post(port, c)) continue;
                        if (give_up_on_failure) return;  // the gateway is gone
                        std::this_thread::sleep_for(std::chrono::milliseconds(20));
                        if (stop()) return;
                    }
                }
            }
        });
    }
    for (auto& th : pool) th.join();
}

bool telegram_load::all_done() const {
    for (const auto& c : chats_)
        if (!done(c)) return false;
    return true;
}

void telegram_load::wait_for_acks(std::size_t n, std::chrono::milliseconds max) {
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, max, [&] { return acked_.size() >= n; });
}

std::size_t telegram_load::acked_count() const {
    std::lock_guard lock(mu_);
    return acked_.size();
}

std::set<std::string> telegram_load::acked() const {
    std::lock_guard lock(mu_);
    return acked_;
}

std::size_t telegram_load::refused() const {
    std::lock_guard lock(mu_);
    return refused_;
}

std::map<unsigned, std::size_t> telegram_load::refusals() const {
    std::lock_guard lock(mu_);
    return refusals_;
}

bool telegram_load::post(std::uint16_t port, chat_state& c) {
    // Message ids are per chat in Telegram; update ids are global but unique per line here.
    const auto msg_id = static_cast<std::int64_t>(c.next_line + 1);
    nlohmann::json update = {
        {"update_id", c.chat % 1'000'000 * 100 + msg_id},
        {"message",
         {{"message_id", msg_id},
          {"date", 1790000000},
          {"chat", {{"id", c.chat}, {"type", "private"}, {"first_name", "A"}}},
          {"from", {{"id", c.chat}, {"is_bot", false}, {"first_name", "A"}}},
          {"text", landslide_script()[c.next_line]}}}};
    bool ok = false;
    unsigned status = 0;
    try {
        sync_client client(port);
        bhttp::request<bhttp::string_body> req{bhttp::verb::post, "/webhooks/telegram", 11};
        req.set(bhttp::field::host, "127.0.0.1");
        req.set(bhttp::field::content_type, "application/json");
        req.set("X-Telegram-Bot-Api-Secret-Token", secret_);
        req.body() = update.dump();
        req.prepare_payload();
        status = client.send(req).result_int();
        ok = status == 200;
    } catch (const std::exception&) {
        ok = false;
    }
    {
        std::lock_guard lock(mu_);
        if (ok) {
            acked_.insert(std::to_string(c.chat) + ":" + std::to_string(msg_id));
        } else {
            ++refused_;
            ++refusals_[status];
        }
    }
    if (!ok) return false;
    cv_.notify_all();
    ++c.next_line;
    return true;
}

delivery_report check_delivery(const telegram_load& load,
                               const std::vector<store::outbox_message>& outbox,
                               const std::vector<mock_telegram::call>& calls, int max_extra) {
    delivery_report rep;
    std::map<std::string, std::vector<const store::outbox_message*>> queued;
    for (auto it = outbox.rbegin(); it != outbox.rend(); ++it) {
        if (it->status != "sent")
            rep.errors.push_back("reply " + std::to_string(it->id) + " is " + it->status + ": " +
                                 it->last_error);
        queued[it->user_id].push_back(&*it);
    }
    std::map<std::string, std::vector<std::string>> delivered;
    for (const auto& call : calls)
        if (call.method == "sendMessage" && call.status == 200)
            delivered[call.chat_id].push_back(call.text);
    for (const auto& c : load.chats()) {
        const auto chat = std::to_string(c.chat);
        const auto& want = queued[chat];
        const auto& got = delivered[chat];
        std::size_t g = 0;
        bool broken = false;
        for (const auto* m : want) {
            const std::string text = m->payload.value("text", "");
            if (g >= got.size()) {
                rep.errors.push_back("chat " + chat + ": reply lost: " + text.substr(0, 40));
                broken = true;
                break;
            }
            if (got[g] != text) {
                std::string dump;
                for (const auto* w : want)
                    dump += "\n  want " + std::to_string(w->id) + " attempts " +
                            std::to_string(w->attempts) + (w->in_doubt ? " in doubt " : " ") +
                            w->payload.value("text", "").substr(0, 30);
                for (const auto& x : got) dump += "\n  got  " + x.substr(0, 30);
                rep.errors.push_back("chat " + chat + ": out of order at " + std::to_string(g) + dump);
                broken = true;
                break;
            }
            ++g;
            if (!m->in_doubt) continue;
            ++rep.in_doubt;
            int extra = 0;
            while (extra < max_extra && g < got.size() && got[g] == text) {
                ++extra;
                ++g;
            }
            if (extra > 0) ++rep.doubled;
            if (extra > 1) ++rep.more_than_twice;
        }
        if (!broken && g != got.size())
            rep.errors.push_back("chat " + chat + ": a reply arrived that was never queued, or "
                                 "twice without being in doubt");
    }
    return rep;
}

}  // namespace dgw::test
