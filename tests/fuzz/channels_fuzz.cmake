# Included by tests/fuzz/CMakeLists.txt when the channels module is built.
dgw_add_fuzz(telegram_parse_fuzz SOURCES telegram_parse_fuzz.cpp DEPS dgw_channels)
dgw_add_fuzz(zalo_parse_fuzz SOURCES zalo_parse_fuzz.cpp DEPS dgw_channels)
dgw_add_fuzz(viber_parse_fuzz SOURCES viber_parse_fuzz.cpp DEPS dgw_channels)
dgw_add_fuzz(line_parse_fuzz SOURCES line_parse_fuzz.cpp DEPS dgw_channels)
dgw_add_fuzz(twilio_parse_fuzz SOURCES twilio_parse_fuzz.cpp DEPS dgw_channels)
dgw_add_fuzz(messenger_parse_fuzz SOURCES messenger_parse_fuzz.cpp DEPS dgw_channels)
dgw_add_fuzz(whatsapp_parse_fuzz SOURCES whatsapp_parse_fuzz.cpp DEPS dgw_channels)
dgw_add_fuzz(webchat_parse_fuzz SOURCES webchat_parse_fuzz.cpp DEPS dgw_channels)
