# Included by tests/fuzz/CMakeLists.txt when the channels module is built.
dgw_add_fuzz(telegram_parse_fuzz SOURCES telegram_parse_fuzz.cpp DEPS dgw_channels)
