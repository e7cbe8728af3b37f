package io.vxdata;

import io.vxdata.query.Filter;

/**
 * A delete of every active resource of one payload type that a filter matches (docs/behaviour.md §15.5), for
 * {@link VxData#deleteWhere}: all or nothing, and only if the filter matches at most
 * {@code expectAtMost} resources (their descendants, tombstoned with {@link Cascade#CASCADE}, are not
 * counted against it).
 *
 * @param payloadType the payload type whose resources the filter is applied to
 * @param filter the filter (required, and not one that matches everything): the conditions of a query
 * @param cascade whether the active subtrees go too; {@code null} means {@link Cascade#CASCADE}
 * @param expectAtMost the most resources the filter may match; more, and nothing is written
 */
public record DeleteWhere(String payloadType, Filter filter, Cascade cascade, long expectAtMost) {

  public DeleteWhere {
    cascade = cascade == null ? Cascade.CASCADE : cascade;
  }
}
