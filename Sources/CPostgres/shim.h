#ifndef DEVWORKFLOW_CPOSTGRES_SHIM_H
#define DEVWORKFLOW_CPOSTGRES_SHIM_H
#include <libpq-fe.h>
#endif
