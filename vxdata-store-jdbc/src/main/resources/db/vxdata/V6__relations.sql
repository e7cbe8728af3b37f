-- Relations and links (docs/behaviour.md §15.1). A relation is registered once and never changed;
-- registering one bumps vx_meta.types_version, so every process loads it with the payload types.
CREATE TABLE vx_relation (
  name VARCHAR(50) PRIMARY KEY,
  source_type VARCHAR(50) NOT NULL,
  target_type VARCHAR(50) NOT NULL,
  -- 'one' or 'many': targets one source may have, sources one target may have, at a time.
  targets_per_source VARCHAR(4) NOT NULL,
  sources_per_target VARCHAR(4) NOT NULL,
  registered_at TIMESTAMP(6) WITH TIME ZONE NOT NULL
);

-- One row per time a link was attached: valid from the commit that attached it (valid_from) to the
-- one that detached it (valid_to, null while attached), in transaction time like resource versions.
-- A delete of either end detaches the link at the delete's time; a restore attaches it again as a new
-- row. Reads as of t take valid_from <= t < valid_to (or valid_to null); at the last commit,
-- valid_to IS NULL. The primary key serves lookups from a source, the second index those to a target.
CREATE TABLE vx_link (
  relation VARCHAR(50) NOT NULL,
  source_id VARCHAR(255) NOT NULL,
  target_id VARCHAR(255) NOT NULL,
  valid_from TIMESTAMP(6) WITH TIME ZONE NOT NULL,
  valid_to TIMESTAMP(6) WITH TIME ZONE,
  attached_by VARCHAR(255) NOT NULL,
  detached_by VARCHAR(255),
  PRIMARY KEY (relation, source_id, target_id, valid_from)
);
CREATE INDEX vx_link_target ON vx_link (relation, target_id, source_id, valid_from);
-- The links of a resource either way round, as reads with links ask for them.
CREATE INDEX vx_link_source_any ON vx_link (source_id, valid_from);
CREATE INDEX vx_link_target_any ON vx_link (target_id, valid_from);
