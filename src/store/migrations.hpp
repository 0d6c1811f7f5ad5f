#pragma once
// Schema migrations. Each migration runs once, in order, inside one transaction, and is recorded
// in schema_migrations; a database is either fully at a version or untouched by it.
#include "store/db.hpp"

namespace corridor::store {

// The newest schema version this build knows.
int LatestSchemaVersion();

// Brings the database to `up_to` (LatestSchemaVersion() unless a test opens an older database).
// `conn` must not be in a transaction.
Status Migrate(Connection& conn, int up_to = LatestSchemaVersion());

}  // namespace corridor::store
