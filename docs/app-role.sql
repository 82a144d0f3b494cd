-- The rights of the role matterflow's server and worker connect as (docs/security.md, "A
-- separate owner role"). Run as the owner role, after `matterflow init` created the tables:
--     psql "postgresql://matterflow_owner@db/matterflow" -f docs/app-role.sql
-- The application role owns nothing, so it cannot alter, drop or disable the audit tables'
-- triggers, and it holds no TRUNCATE; on the audit tables it may only add rows and seal them.
GRANT USAGE ON SCHEMA public TO matterflow_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO matterflow_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO matterflow_app;
REVOKE UPDATE, DELETE, TRUNCATE ON audit_events, audit_head FROM matterflow_app;
GRANT UPDATE (seq, prev_hash, hash) ON audit_events TO matterflow_app;
GRANT UPDATE (seq, hash) ON audit_head TO matterflow_app;
REVOKE ALL ON alembic_version FROM matterflow_app;
GRANT SELECT ON alembic_version TO matterflow_app;
