-- Releases (docs/behaviour.md §14.4): names given for good to transaction times. A read at a
-- release looks its name up by the primary key; the list pages newest first over the second index.
CREATE TABLE vx_release (
  name VARCHAR(100) PRIMARY KEY,
  tx_time TIMESTAMP(6) WITH TIME ZONE NOT NULL,
  description VARCHAR(1000),
  created_by VARCHAR(255) NOT NULL,
  created_at TIMESTAMP(6) WITH TIME ZONE NOT NULL
);
CREATE INDEX vx_release_time ON vx_release (tx_time, name);
