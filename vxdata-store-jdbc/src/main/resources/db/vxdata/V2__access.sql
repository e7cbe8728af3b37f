-- Access control and audit (docs/behaviour.md §13). The audit and root columns of the per-type
-- tables are added by the Java migration V3 (io.vxdata.jdbc.internal.V3__audit_columns), since
-- those tables exist only for the types registered so far.

-- People and service accounts. clearance is an access level's ordinal, as access_level is.
CREATE TABLE vx_principal (
  id VARCHAR(255) PRIMARY KEY,
  display_name VARCHAR(1000) NOT NULL,
  is_admin BOOLEAN NOT NULL,
  clearance SMALLINT NOT NULL,
  disabled BOOLEAN NOT NULL,
  created_at TIMESTAMP(6) WITH TIME ZONE NOT NULL
);

-- A principal's role on a datasource and its whole subtree: 0 viewer, 1 editor, 2 owner. Read by
-- every statement of a principal's view, so a revocation applies to its next statement.
CREATE TABLE vx_grant (
  principal_id VARCHAR(255) NOT NULL,
  datasource_id VARCHAR(255) NOT NULL,
  grant_role SMALLINT NOT NULL,
  PRIMARY KEY (principal_id, datasource_id)
);
CREATE INDEX vx_grant_datasource ON vx_grant (datasource_id);

-- Bearer tokens, by the SHA-256 of their secret (hex); the secret itself is never stored.
CREATE TABLE vx_token (
  id VARCHAR(64) PRIMARY KEY,
  principal_id VARCHAR(255) NOT NULL,
  secret_hash VARCHAR(64) NOT NULL UNIQUE,
  created_at TIMESTAMP(6) WITH TIME ZONE NOT NULL,
  expires_at TIMESTAMP(6) WITH TIME ZONE,
  revoked_at TIMESTAMP(6) WITH TIME ZONE
);
CREATE INDEX vx_token_principal ON vx_token (principal_id);

-- One row per commit (§13.6), and the datasources each commit touched (for their owners).
CREATE TABLE vx_transaction (
  tx_time TIMESTAMP(6) WITH TIME ZONE PRIMARY KEY,
  principal_id VARCHAR(255) NOT NULL,
  operation VARCHAR(50) NOT NULL,
  row_count INTEGER NOT NULL,
  request_id VARCHAR(255)
);
CREATE TABLE vx_transaction_datasource (
  datasource_id VARCHAR(255) NOT NULL,
  tx_time TIMESTAMP(6) WITH TIME ZONE NOT NULL,
  PRIMARY KEY (datasource_id, tx_time)
);
