#pragma once
// Checks a path that a file will be written to later (a profile saved at the end of profiling,
// a progress file the job creates), so that a mistyped folder fails before the work starts
// rather than hours into it.

#include <filesystem>
#include <string_view>

namespace chase {

// `path` must name a file, not a folder, in a folder that exists, so that `writer` ("the job",
// "chase") can create it. Throws InputError "'<path>' is not a file <writer> can write (a
// folder, or in a missing one)". Permissions are not checked.
void require_writable_file(const std::filesystem::path& path, std::string_view writer);

}  // namespace chase
