#pragma once
// A self-signed certificate made by the test itself (EC P-256, SAN localhost and 127.0.0.1),
// written as PEM files into a fresh temporary directory.

#include <filesystem>
#include <string>

namespace dgw::test {

struct cert_files {
    std::filesystem::path dir;
    std::string cert;  ///< PEM certificate (also the CA file for clients)
    std::string key;   ///< PEM private key
};

/// `common_name` also goes into the subjectAltName as DNS; 127.0.0.1 is always added.
cert_files make_self_signed(const std::string& common_name = "localhost");

/// A new empty directory under the system temp dir.
std::filesystem::path make_temp_dir(const std::string& prefix);

}  // namespace dgw::test
