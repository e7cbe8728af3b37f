-- Link changes in the change feed and in histories (docs/behaviour.md §14, §15.1): an attach is a row
-- of vx_link at its valid_from, a detach at its valid_to. The feed seeks each relation's changes by
-- time in its order (time, source, target); a history seeks the changes of one end by time
-- (valid_from with an end is indexed already, by vx_link_source_any and vx_link_target_any).
CREATE INDEX vx_link_attached ON vx_link (relation, valid_from, source_id, target_id);
CREATE INDEX vx_link_detached ON vx_link (relation, valid_to, source_id, target_id);
CREATE INDEX vx_link_source_detached ON vx_link (source_id, valid_to);
CREATE INDEX vx_link_target_detached ON vx_link (target_id, valid_to);
