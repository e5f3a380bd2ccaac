#pragma once
// A connection flood as an attacker makes one: many connections from chosen local addresses
// (127.0.0.2, 127.0.0.3, ... are all loopback on Linux, so a test can be "another address"),
// each either idle after one keep-alive request, trickling a header that never ends, or
// silent. The connections stay open until the flood is destroyed.

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace dgw::test {

class flood {
public:
    enum class mode {
        idle,     ///< one GET /healthz with keep-alive, answer read, then nothing
        trickle,  ///< the start of a request header, never finished
        silent,   ///< connects and sends nothing
    };

    struct outcome {
        int served = 0;   ///< got a 200 (idle mode)
        int refused = 0;  ///< got a 503
        int closed = 0;   ///< connection closed or reset before any answer
        int open = 0;     ///< connected and (for trickle/silent) written without error
    };

    /// Opens `count` connections from `from` to 127.0.0.1:`port`, one after the other.
    outcome open(const std::string& from, std::uint16_t port, int count, mode m) {
        namespace ip = boost::asio::ip;
        outcome out;
        for (int i = 0; i < count; ++i) {
            auto s = std::make_unique<ip::tcp::socket>(ioc_);
            boost::system::error_code ec;
            s->open(ip::tcp::v4(), ec);
            s->bind({ip::make_address(from), 0}, ec);
            if (!ec) s->connect({ip::make_address("127.0.0.1"), port}, ec);
            if (ec) {
                ++out.closed;
                continue;
            }
            if (m == mode::idle) {
                const std::string req = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
                boost::asio::write(*s, boost::asio::buffer(req), ec);
                std::string head;
                char c = 0;
                // The status line is enough; the answer is small and arrives in one piece.
                while (!ec && head.find("\r\n\r\n") == std::string::npos && head.size() < 4096) {
                    boost::asio::read(*s, boost::asio::buffer(&c, 1), ec);
                    if (!ec) head += c;
                }
                if (ec) {
                    ++out.closed;
                } else if (head.starts_with("HTTP/1.1 200")) {
                    ++out.served;
                    read_body(*s, head);
                } else if (head.starts_with("HTTP/1.1 503")) {
                    ++out.refused;
                } else {
                    ++out.closed;
                }
            } else if (m == mode::trickle) {
                const std::string part = "POST /webhooks/telegram HTTP/1.1\r\nHost: x\r\nX-Slow: ";
                boost::asio::write(*s, boost::asio::buffer(part), ec);
                if (ec)
                    ++out.closed;
                else
                    ++out.open;
            } else {
                ++out.open;
            }
            sockets_.push_back(std::move(s));
        }
        return out;
    }

    /// How many of the flood's connections the server has closed by now (a read would not
    /// block: EOF or reset). Connections still open with nothing to read are not counted.
    int closed_by_server() {
        int n = 0;
        for (auto& s : sockets_) {
            boost::system::error_code ec;
            s->non_blocking(true, ec);
            char buf[512];
            std::size_t got = 0;
            do {
                got = s->read_some(boost::asio::buffer(buf), ec);
            } while (!ec && got > 0);
            if (ec == boost::asio::error::eof || ec == boost::asio::error::connection_reset) ++n;
        }
        return n;
    }

    std::size_t size() const { return sockets_.size(); }

private:
    static void read_body(boost::asio::ip::tcp::socket& s, const std::string& head) {
        auto at = head.find("Content-Length: ");
        if (at == std::string::npos) at = head.find("content-length: ");
        if (at == std::string::npos) return;
        const auto length = std::stoul(head.substr(at + 16));
        std::string body(length, '\0');
        boost::system::error_code ec;
        boost::asio::read(s, boost::asio::buffer(body), ec);
    }

    boost::asio::io_context ioc_;
    std::vector<std::unique_ptr<boost::asio::ip::tcp::socket>> sockets_;
};

/// One request from a chosen local address, on a connection of its own; the status, or 0
/// when the connection failed.
inline unsigned get_from(const std::string& from, std::uint16_t port, const std::string& target) {
    namespace ip = boost::asio::ip;
    boost::asio::io_context ioc;
    ip::tcp::socket s(ioc);
    boost::system::error_code ec;
    s.open(ip::tcp::v4(), ec);
    s.bind({ip::make_address(from), 0}, ec);
    if (!ec) s.connect({ip::make_address("127.0.0.1"), port}, ec);
    if (ec) return 0;
    const std::string req = "GET " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    boost::asio::write(s, boost::asio::buffer(req), ec);
    std::string all;
    char buf[1024];
    while (!ec) {
        const auto n = s.read_some(boost::asio::buffer(buf), ec);
        all.append(buf, n);
    }
    if (!all.starts_with("HTTP/1.1 ") || all.size() < 12) return 0;
    return static_cast<unsigned>(std::stoul(all.substr(9, 3)));
}

}  // namespace dgw::test
