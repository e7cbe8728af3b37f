-- The store's fixed tables. Each payload type gets two more, created when it is registered:
-- vxc_<type> holds the current version of every identifier (tombstones included) and
-- vxh_<type> every superseded version with the transaction time that ended it (_sys_to).

-- One row. Writers lock it (SELECT ... FOR UPDATE) so commits, and their transaction times,
-- are totally ordered, also across processes sharing a PostgreSQL database.
CREATE TABLE vx_meta (
  id INTEGER PRIMARY KEY,
  last_tx TIMESTAMP(6) WITH TIME ZONE NOT NULL,
  types_version BIGINT NOT NULL,
  cursor_secret VARCHAR(128) NOT NULL
);

INSERT INTO vx_meta (id, last_tx, types_version, cursor_secret)
VALUES (1, TIMESTAMP WITH TIME ZONE '1970-01-01 00:00:00+00', 0,
        REPLACE(CAST(gen_random_uuid() AS VARCHAR(36)), '-', '')
          || REPLACE(CAST(gen_random_uuid() AS VARCHAR(36)), '-', ''));

-- Registered payload types and the JSON Schema each was defined by.
CREATE TABLE vx_type (
  name VARCHAR(50) PRIMARY KEY,
  schema_json VARCHAR NOT NULL,
  registered_at TIMESTAMP(6) WITH TIME ZONE NOT NULL
);
