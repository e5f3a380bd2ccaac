// The ceiling of the peer benchmark (tests/bench/peer/run_peer_bench.sh): a Beast server on one
// thread that reads each request whole and answers it with a fixed 200 and an empty body, so
// what it costs is HTTP over loopback and nothing else. Prints "listening on http://HOST:PORT/"
// once it accepts; stops on SIGTERM or SIGINT.
//
//   static_answer [--listen 127.0.0.1:0]

#include <dgw/core/net.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include <chrono>
#include <iostream>
#include <string>

namespace {

using namespace dgw;
namespace bhttp = beast::http;
using tcp = net::ip::tcp;
using default_token = net::as_tuple_t<net::use_awaitable_t<>>;
using stream_type = default_token::as_default_on_t<beast::tcp_stream>;
using acceptor_type = default_token::as_default_on_t<tcp::acceptor>;

net::awaitable<void> session(stream_type stream) {
    beast::flat_buffer buffer;
    for (;;) {
        bhttp::request_parser<bhttp::string_body> parser;
        parser.body_limit(1 << 20);
        stream.expires_after(std::chrono::seconds(60));
        auto [rec, rn] = co_await bhttp::async_read(stream, buffer, parser);
        if (rec) co_return;  // the client is done (or gone)
        bhttp::response<bhttp::string_body> res{bhttp::status::ok, parser.get().version()};
        res.keep_alive(parser.get().keep_alive());
        res.prepare_payload();
        stream.expires_after(std::chrono::seconds(60));
        auto [wec, wn] = co_await bhttp::async_write(stream, res);
        if (wec || !res.keep_alive()) co_return;
    }
}

net::awaitable<void> listen(acceptor_type acceptor) {
    for (;;) {
        auto [ec, socket] = co_await acceptor.async_accept();
        if (ec == net::error::operation_aborted) co_return;
        if (ec) continue;
        net::co_spawn(acceptor.get_executor(), session(stream_type(std::move(socket))),
                      net::detached);
    }
}

}  // namespace

int main(int argc, char** argv) {
    std::string listen_at = "127.0.0.1:0";
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string k = argv[i];
        if (k == "--listen") {
            listen_at = argv[i + 1];
        } else {
            std::cerr << "unknown option " << k << "\n";
            return 2;
        }
    }
    const auto colon = listen_at.rfind(':');
    net::io_context io(1);
    acceptor_type acceptor(io, tcp::endpoint(net::ip::make_address(listen_at.substr(0, colon)),
                                             static_cast<unsigned short>(
                                                 std::stoi(listen_at.substr(colon + 1)))));
    const auto at = acceptor.local_endpoint();
    std::cout << "listening on http://" << at.address().to_string() << ":" << at.port() << "/"
              << std::endl;
    net::signal_set signals(io, SIGTERM, SIGINT);
    signals.async_wait([&](const boost::system::error_code&, int) { io.stop(); });
    net::co_spawn(io, listen(std::move(acceptor)), net::detached);
    io.run();
    return 0;
}
