// change_listener (postgres_store.hpp): LISTEN on a connection and a thread of its own.

#include "dgw/store/postgres_store.hpp"

#include "store/changes.hpp"
#include "store/postgres/pg.hpp"

#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cstdint>
#include <thread>

namespace dgw::store {

struct change_listener::impl {
    impl(std::string u, std::function<void(const std::string&)> c)
        : url(std::move(u)), changed(std::move(c)), stop_fd(::eventfd(0, EFD_CLOEXEC)) {
        thread = std::thread([this] { run(); });
    }
    ~impl() {
        const std::uint64_t one = 1;
        [[maybe_unused]] auto n = ::write(stop_fd, &one, sizeof one);
        thread.join();
        ::close(stop_fd);
    }

    // Waits until `fd` is readable (true) or `timeout` passes (false); false too when asked to
    // stop, which `stopping` then says.
    bool wait(int fd, int timeout_ms) {
        std::array<pollfd, 2> fds{{{stop_fd, POLLIN, 0}, {fd, POLLIN, 0}}};
        const auto n = ::poll(fds.data(), fd < 0 ? 1 : 2, timeout_ms);
        if (fds[0].revents) stopping = true;
        return n > 0 && !stopping && fd >= 0 && fds[1].revents != 0;
    }

    void run() {
        while (!stopping) {
            PGconn* c = nullptr;
            try {
                c = pg::connect(url);
            } catch (const std::exception&) {
                wait(-1, 1000);  // the database is down: try again in a second
                continue;
            }
            const std::string listen = std::string("LISTEN ") + changes::channel;
            pg::result_ptr r(PQexec(c, listen.c_str()));
            if (PQresultStatus(r.get()) == PGRES_COMMAND_OK) {
                r.reset();
                // Anything published while this connection was away was missed: say so.
                changed("");
                listening = true;
                while (!stopping) {
                    if (!wait(PQsocket(c), 1000)) continue;
                    if (PQconsumeInput(c) == 0) break;  // the connection is gone
                    while (PGnotify* n = PQnotifies(c)) {
                        const std::string what = n->extra ? n->extra : "";
                        PQfreemem(n);
                        changed(what);
                    }
                }
                listening = false;
            }
            PQfinish(c);
            if (!stopping) wait(-1, 1000);
        }
    }

    const std::string url;
    const std::function<void(const std::string&)> changed;
    const int stop_fd;
    std::atomic<bool> stopping{false};
    std::atomic<bool> listening{false};
    std::thread thread;  // last: starts once everything above is ready
};

change_listener::change_listener(std::string url,
                                 std::function<void(const std::string&)> changed)
    : impl_(std::make_unique<impl>(std::move(url), std::move(changed))) {}

change_listener::~change_listener() = default;

bool change_listener::listening() const { return impl_->listening; }

}  // namespace dgw::store
