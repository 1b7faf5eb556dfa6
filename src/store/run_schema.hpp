#pragma once
// The run store's schema, one step per version (store/run_store.hpp says what each adds). Kept
// apart so that tests can build a file of an older version and check its migration.

#include <vector>

#include "store/sqlite_database.hpp"

namespace chase {

const std::vector<SchemaStep>& run_store_schema();

}  // namespace chase
