# Every dependency comes from a Debian package through find_package (STYLE.md §10).
find_package(Boost 1.81.0 EXACT REQUIRED CONFIG COMPONENTS headers)  # libboost1.81-dev
find_package(OpenSSL 3 REQUIRED)
find_package(nlohmann_json 3.11 REQUIRED CONFIG)
find_package(spdlog REQUIRED CONFIG)
find_package(fmt REQUIRED CONFIG)
find_package(CLI11 REQUIRED CONFIG)
find_package(Threads REQUIRED)
find_package(PkgConfig REQUIRED)
pkg_check_modules(UTF8PROC REQUIRED IMPORTED_TARGET libutf8proc)
pkg_check_modules(XLSXWRITER REQUIRED IMPORTED_TARGET xlsxwriter)  # libxlsxwriter-dev
pkg_check_modules(LIBZIP REQUIRED IMPORTED_TARGET libzip)  # libzip-dev: the minutes as .odt
pkg_check_modules(QRENCODE REQUIRED IMPORTED_TARGET libqrencode)  # libqrencode-dev: invitations
pkg_check_modules(LIBPQ REQUIRED IMPORTED_TARGET libpq)  # libpq-dev: the PostgreSQL store
if(DGW_BUILD_TESTS)
  find_package(GTest 1.12 REQUIRED CONFIG)
  include(GoogleTest)
endif()
if(DGW_BUILD_BENCH)
  find_package(benchmark REQUIRED CONFIG)
endif()
