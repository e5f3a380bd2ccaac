#pragma once
// A blocking HTTP/1.1 client for tests: one connection, requests in sequence, so a test can
// check keep-alive, status codes and bodies without any of the code under test.

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>

#include <chrono>
#include <cstdint>
#include <string>

namespace dgw::test {

namespace bhttp = boost::beast::http;

class sync_client {
public:
    /// Connects to host:port; from the local address `from` when given (127.0.0.2 and the
    /// like are loopback too: "another client" for per-address rules).
    explicit sync_client(std::uint16_t port, std::string host = "127.0.0.1", std::string from = {})
        : stream_(ioc_), host_(std::move(host)) {
        stream_.expires_after(std::chrono::seconds(20));
        const auto to = boost::asio::ip::make_address(host_);
        if (!from.empty()) {
            stream_.socket().open(to.is_v4() ? boost::asio::ip::tcp::v4()
                                             : boost::asio::ip::tcp::v6());
            stream_.socket().bind({boost::asio::ip::make_address(from), 0});
        }
        stream_.connect(boost::asio::ip::tcp::endpoint(to, port));
    }

    bhttp::response<bhttp::string_body> request(bhttp::verb v, const std::string& target,
                                                std::string body = {},
                                                std::string content_type = "application/json") {
        bhttp::request<bhttp::string_body> req{v, target, 11};
        req.set(bhttp::field::host, host_);
        if (!body.empty()) req.set(bhttp::field::content_type, content_type);
        req.body() = std::move(body);
        req.prepare_payload();
        return send(req);
    }

    bhttp::response<bhttp::string_body> send(bhttp::request<bhttp::string_body>& req) {
        stream_.expires_after(std::chrono::seconds(20));
        bhttp::write(stream_, req);
        bhttp::response_parser<bhttp::string_body> parser;
        parser.body_limit(64 * 1024 * 1024);
        bhttp::read(stream_, buffer_, parser);
        return parser.release();
    }

    /// True when the server has closed the connection (a read returns EOF or reset).
    bool closed_by_peer() {
        boost::beast::error_code ec;
        char c;
        stream_.expires_after(std::chrono::seconds(20));
        stream_.socket().read_some(boost::asio::buffer(&c, 1), ec);
        return ec == boost::asio::error::eof || ec == boost::asio::error::connection_reset;
    }

    boost::beast::tcp_stream& stream() { return stream_; }

private:
    boost::asio::io_context ioc_;
    boost::beast::tcp_stream stream_;
    boost::beast::flat_buffer buffer_;
    std::string host_;
};

}  // namespace dgw::test
