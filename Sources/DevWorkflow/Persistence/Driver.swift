// The libpq driver is its own target (Sources/PostgresClient): connections, the SQL type, result
// rows, errors and the codables of standard types. The product and its users see it through
// DevWorkflow, as one module.
@_exported import PostgresClient
