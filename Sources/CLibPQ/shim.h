#ifndef RUNBOOK_CLIBPQ_SHIM_H
#define RUNBOOK_CLIBPQ_SHIM_H
#include <postgresql/libpq-fe.h>
#include <poll.h>
#endif
