package io.vxdata.jdbc.internal;

import io.vxdata.access.Principal;

/**
 * Who a call of the store acts for (docs/behaviour.md §13): the system handle, an admin, or any other principal; and
 * the request it answers, for the transaction log. What a principal may do is read from the
 * database: whether it is an enabled admin once per call (a view keeps only its id and request id,
 * and resolves its {@link Kind} again on each call), its grants and clearance by each statement
 * ({@link Visibility}) or write ({@link WriteTransaction}).
 */
record Caller(String principalId, Kind kind, String requestId) {

  /** How a caller's rights are checked. */
  enum Kind {
    /** The system handle: every right, no check at all. */
    SYSTEM,
    /** An admin principal: every right while it is an enabled admin. */
    ADMIN,
    /** Any other principal: its grants and clearance. */
    PRINCIPAL
  }

  static final Caller SYSTEM = new Caller(Principal.SYSTEM, Kind.SYSTEM, null);

  boolean system() {
    return kind == Kind.SYSTEM;
  }
}
