#ifndef RUNBOOK_CSQLITE_SHIM_H
#define RUNBOOK_CSQLITE_SHIM_H
#include <sqlite3.h>

/// SQLITE_STATIC and SQLITE_TRANSIENT are function-pointer casts that Swift does not import.
static const sqlite3_destructor_type runbook_sqlite_static = ((sqlite3_destructor_type)0);
static const sqlite3_destructor_type runbook_sqlite_transient = ((sqlite3_destructor_type)-1);

/// sqlite3_db_config is variadic; this wraps the integer form.
static inline int runbook_sqlite_db_config_int(sqlite3 *db, int op, int value, int *result) {
    return sqlite3_db_config(db, op, value, result);
}
#endif
