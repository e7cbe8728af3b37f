package io.vxdata.relation;

import io.vxdata.ForbiddenException;
import io.vxdata.NotFoundException;
import io.vxdata.ValidationException;
import io.vxdata.WriteResult;
import java.util.List;
import java.util.Map;

/**
 * Relations and their links (docs/behaviour.md §15.1). Obtained from
 * {@link io.vxdata.VxData#relations()}, it acts with the rights of that handle's principal.
 *
 * <p>A link is valid from the commit that attached it to the commit that detached it; reads as of
 * a time see the links valid then. Deleting a resource detaches its links in the same commit, and
 * restoring it attaches again those its delete detached (when the other end is active and the
 * cardinality allows). Queries select by link with {@link io.vxdata.query.Filter#relatedTo} and
 * {@link io.vxdata.query.Filter#relatedFrom}.
 */
public interface Relations {

  /**
   * Registers a relation; registering the same one again changes nothing. A relation is never
   * changed or removed.
   *
   * @throws ValidationException naming the field if a payload type is unknown, or if another
   *     relation of that name is registered
   * @throws ForbiddenException if the caller is not an admin
   */
  void register(RelationType type);

  /** Every registered relation, the built-in {@code member_of} included, by name. */
  Map<String, RelationType> types();

  /**
   * Attaches links, all or nothing, in one commit; a link already attached, or repeated, is attached
   * once and counted once (not at all if it was attached already).
   *
   * @return the number of links attached, and the commit time
   * @throws ValidationException naming the item and field if a relation is unknown, an end has the
   *     wrong payload type, or a cardinality would be exceeded; nothing is written
   * @throws NotFoundException if an end is unknown, deleted or invisible to the caller
   * @throws ForbiddenException if the caller may not edit both ends
   */
  WriteResult attach(List<Link> links);

  /**
   * Detaches links, all or nothing, in one commit; a link not attached is not counted.
   *
   * @return the number of links detached, and the commit time
   * @throws ValidationException if a relation is unknown
   * @throws NotFoundException if an end is unknown or invisible to the caller
   * @throws ForbiddenException if the caller may not edit both ends
   */
  WriteResult detach(List<Link> links);
}
