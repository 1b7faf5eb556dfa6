// Opening a live provider as a program does: the cache's default place from the environment,
// an unknown provider refused before anything is opened, and a known one opened on its cache.

#include "store/cached_live_source.hpp"

#include <gtest/gtest.h>

#include <map>

#include "core/error.hpp"
#include "support/temp_dir.hpp"

namespace chase {
namespace {

EnvironmentLookup environment(std::map<std::string, std::string> values) {
  return [values](const std::string& name) -> std::optional<std::string> {
    const auto it = values.find(name);
    return it == values.end() ? std::nullopt : std::optional<std::string>(it->second);
  };
}

TEST(CachedLiveSource, TheDefaultCacheFollowsXdgThenHome) {
  EXPECT_EQ(default_intensity_cache_path(environment({{"XDG_CACHE_HOME", "/x"}, {"HOME", "/h"}})),
            "/x/chase/intensity.sqlite");
  EXPECT_EQ(default_intensity_cache_path(environment({{"XDG_CACHE_HOME", ""}, {"HOME", "/h"}})),
            "/h/.cache/chase/intensity.sqlite");
  EXPECT_EQ(default_intensity_cache_path(environment({})), "chase-intensity.sqlite");
}

TEST(CachedLiveSource, AnUnknownProviderIsRefusedBeforeTheCacheIsOpened) {
  test::TempDir dir;
  CachedLiveSourceRequest request;
  request.provider = "no-such-provider";
  request.cache = dir.path() / "cache.sqlite";
  ManualClock clock;
  try {
    open_cached_live_source(request, clock);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()).rfind("unknown provider 'no-such-provider' (known: ", 0), 0u) << e.what();
  }
  EXPECT_FALSE(std::filesystem::exists(request.cache));
}

TEST(CachedLiveSource, AKnownProviderOpensOnItsCacheWithoutFetching) {
  test::TempDir dir;
  CachedLiveSourceRequest request;
  request.provider = "uk-carbon-intensity";
  request.base_url = "http://127.0.0.1:9";  // never asked: opening fetches nothing
  request.cache = dir.path() / "sub" / "cache.sqlite";
  request.environment = environment({});
  ManualClock clock;
  const CachedLiveSource live = open_cached_live_source(request, clock);
  ASSERT_NE(live.source, nullptr);
  EXPECT_NE(live.http, nullptr);
  EXPECT_NE(live.cache, nullptr);
  EXPECT_EQ(live.source->name().rfind("uk-carbon-intensity:", 0), 0u) << live.source->name();
  EXPECT_TRUE(std::filesystem::exists(request.cache));
}

}  // namespace
}  // namespace chase
