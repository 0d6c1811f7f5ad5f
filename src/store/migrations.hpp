#pragma once
// Schema migrations. Each migration runs once, in order, inside one transaction, and is recorded
// in schema_migrations; a database is either fully at a version or untouched by it.
#include "store/db.hpp"

namespace corridor::store {

// The newest schema version this build knows.
int LatestSchemaVersion();

// Brings the database to LatestSchemaVersion(). `conn` must not be in a transaction.
Status Migrate(Connection& conn);

}  // namespace corridor::store
