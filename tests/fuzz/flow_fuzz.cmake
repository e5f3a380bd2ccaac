dgw_add_fuzz(flow_loader_fuzz SOURCES flow_loader_fuzz.cpp DEPS dgw_flow)
