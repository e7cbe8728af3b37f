-- Export jobs hold a lease (docs/behaviour.md §14.5): the service running a job renews heartbeat_at
-- with its progress every second. A running job whose heartbeat is older than the lease is an orphan
-- (its process died), which any service on the database may queue again; a fresher one is left alone,
-- since another live server is running it.
ALTER TABLE vx_export_job ADD COLUMN heartbeat_at TIMESTAMP(6) WITH TIME ZONE;
UPDATE vx_export_job SET heartbeat_at = COALESCE(started_at, submitted_at);
CREATE INDEX vx_export_job_heartbeat ON vx_export_job (status, heartbeat_at);
