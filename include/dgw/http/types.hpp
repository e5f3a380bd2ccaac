#pragma once
/// The types every HTTP handler sees: the request context and the response, plus helpers to
/// build JSON and error responses in the one error format of the API:
///   {"error": {"code": "not_found", "message": "no route for /x"}}

#include <dgw/core/net.hpp>

#include <boost/asio/awaitable.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <nlohmann/json_fwd.hpp>

#include <functional>
#include <map>
#include <string>
#include <string_view>

namespace dgw::http {

using request = beast::http::request<beast::http::string_body>;
using response = beast::http::response<beast::http::string_body>;
using status = beast::http::status;
using verb = beast::http::verb;

/// Everything a handler gets for one request. Lives for the duration of the handler call,
/// on the connection's strand.
struct request_context {
    request req;
    std::string path;                           ///< target without the query string
    std::string query;                          ///< raw query string without '?'
    std::map<std::string, std::string> params;  ///< path parameters, e.g. {"channel": "telegram"}
    std::string route;                          ///< the matched pattern, e.g. "/webhooks/{channel}"
    std::string request_id;                     ///< echoed or generated X-Request-Id
    /// The client's address: the peer's, or behind a trusted proxy the one it forwarded.
    std::string remote_address;
    bool tls = false;  ///< over TLS, here or (a trusted proxy's X-Forwarded-Proto) at the proxy

    /// The value of a query parameter (percent-decoded), or "" when absent.
    std::string query_param(std::string_view name) const;
};

/// A route handler. Expected failures are returned as error responses; an exception is a bug
/// and becomes a plain 500 at the dispatcher (STYLE.md §4).
using handler = std::function<net::awaitable<response>(request_context&)>;

/// A response with a JSON body and Content-Type application/json.
response json_response(status s, const nlohmann::json& body);
/// A response with a text body of the given content type.
response text_response(status s, std::string body, std::string_view content_type = "text/plain; charset=utf-8");
/// The one error format: {"error": {"code": code, "message": message}}.
response error_response(status s, std::string_view code, std::string_view message);

/// Percent-decodes a URL component ('+' as space when `plus_as_space`).
std::string url_decode(std::string_view in, bool plus_as_space = true);

}  // namespace dgw::http
