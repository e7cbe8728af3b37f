package io.vxdata.query;

/** How {@code parent_identifier} restricts a query (docs/behaviour.md §6.1). */
public enum Scope {
  /** Only direct children of the parent. */
  CHILDREN,
  /** Every descendant of the parent, following the hierarchy as it was at the query's time. */
  DESCENDANTS
}
