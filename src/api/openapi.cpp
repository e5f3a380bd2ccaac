// GET /api/v1/openapi.json: the OpenAPI 3.1 document of this API, docs/openapi.json of the
// repository compiled into the binary (cmake/embed_file.cmake), so the document served is the
// one the tests hold to the router.
#include "api/service.hpp"

namespace dgw::api {

extern const std::string_view openapi_json;

net::awaitable<http::response> service::openapi_document(http::request_context&) {
    auto res = http::text_response(http::status::ok, std::string(openapi_json),
                                   "application/json; charset=utf-8");
    res.set(beast::http::field::cache_control, "public, max-age=3600");
    res.set("Access-Control-Allow-Origin", "*");
    co_return res;
}

}  // namespace dgw::api
