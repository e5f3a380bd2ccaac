# Included by tests/fuzz/CMakeLists.txt when the dialogue module is built.
dgw_add_fuzz(dialogue_locate_fuzz SOURCES dialogue_locate_fuzz.cpp DEPS dgw_dialogue)
target_compile_definitions(dialogue_locate_fuzz PRIVATE DGW_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
dgw_add_fuzz(dialogue_config_fuzz SOURCES dialogue_config_fuzz.cpp DEPS dgw_dialogue)
