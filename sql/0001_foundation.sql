-- Foundation: the schema every later migration builds in, and the group role that a DBA grants
-- to each person's login. The migrator has already created the schema and schema_migrations and
-- set search_path to it.

DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'devworkflow_user') THEN
        CREATE ROLE devworkflow_user NOLOGIN;
    END IF;
EXCEPTION
    -- Another database of this cluster created it at the same moment: roles are cluster-wide.
    WHEN duplicate_object OR unique_violation THEN NULL;
END
$$;

COMMENT ON SCHEMA workflow IS 'DevWorkflow: change requests from proposal to release';

GRANT USAGE ON SCHEMA workflow TO devworkflow_user;
GRANT SELECT ON workflow.schema_migrations TO devworkflow_user;
