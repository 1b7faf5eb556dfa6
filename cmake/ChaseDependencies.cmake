# Every third-party library comes from a Debian package (see scripts/setup).
find_package(fmt REQUIRED)
find_package(spdlog REQUIRED)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(tomlplusplus REQUIRED)
find_package(CLI11 REQUIRED)
find_package(SQLite3 REQUIRED)
find_package(CURL REQUIRED)
find_package(Threads REQUIRED)
find_package(Eigen3 3.3 REQUIRED NO_MODULE)
find_package(PkgConfig REQUIRED)
# cpp-httplib ships only a pkg-config file on Debian.
pkg_check_modules(HTTPLIB REQUIRED IMPORTED_TARGET cpp-httplib)
