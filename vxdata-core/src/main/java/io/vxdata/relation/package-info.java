/**
 * Relations (docs/behaviour.md §15.1): registered, named, directed links between resources, such as
 * {@code member_of} from a patient to its family. Links are facts in transaction time: attached and
 * detached by batch writes, seen by reads as of any time, and queried with
 * {@link io.vxdata.query.Filter#relatedTo} and {@link io.vxdata.query.Filter#relatedFrom}.
 */
package io.vxdata.relation;
