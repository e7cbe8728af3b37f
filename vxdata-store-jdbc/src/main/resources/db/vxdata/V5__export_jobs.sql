-- Export jobs (docs/behaviour.md §14.5), run by vxdata-exports through ExportJobTable. A job reads
-- at one fixed transaction time (tx_time), resolved when it was submitted, so that a job resumed
-- after a restart writes the same rows. request_json and manifest_json are the wire forms.
CREATE TABLE vx_export_job (
  id VARCHAR(64) PRIMARY KEY,
  principal_id VARCHAR(255) NOT NULL,
  -- SHA-256 (hex) of the principal, its rights, the normalized request and tx_time: equal keys, same files.
  cache_key VARCHAR(64) NOT NULL,
  request_json VARCHAR NOT NULL,
  tx_time TIMESTAMP(6) WITH TIME ZONE NOT NULL,
  -- queued, running, finished, failed or cancelled
  status VARCHAR(16) NOT NULL,
  rows_done BIGINT NOT NULL,
  rows_total BIGINT NOT NULL,
  error VARCHAR(4000),
  manifest_json VARCHAR,
  submitted_at TIMESTAMP(6) WITH TIME ZONE NOT NULL,
  started_at TIMESTAMP(6) WITH TIME ZONE,
  finished_at TIMESTAMP(6) WITH TIME ZONE
);
CREATE INDEX vx_export_job_cache ON vx_export_job (cache_key, status);
CREATE INDEX vx_export_job_status ON vx_export_job (status, submitted_at);
CREATE INDEX vx_export_job_principal ON vx_export_job (principal_id, submitted_at);
