package io.vxdata.access;

import io.vxdata.ForbiddenException;
import io.vxdata.NotFoundException;
import io.vxdata.ValidationException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Administration of who may do what (docs/behaviour.md §13): principals, tokens, grants and the transaction log.
 *
 * <p>Obtained from {@link io.vxdata.VxData#access()}, it acts with the rights of that handle's
 * principal: the system handle and admins may do everything; the owner of a datasource manages its
 * grants; a principal lists and revokes its own tokens. A refused call throws
 * {@link ForbiddenException} and changes nothing. Changes take effect on the next call, in every
 * process sharing the store.
 */
public interface Access {

  /** The principal this handle acts as ({@link Principal#SYSTEM} for the system handle). */
  Principal whoami();

  /**
   * Creates a principal (admin).
   *
   * @throws ValidationException if the id is malformed or taken
   */
  Principal createPrincipal(Principal principal);

  /** Every principal, by id (admin). */
  List<Principal> principals();

  /**
   * Changes a principal (admin).
   *
   * @throws NotFoundException if there is no such principal
   */
  Principal updatePrincipal(String principalId, PrincipalUpdate update);

  /**
   * Issues a token for a principal (admin, or the principal itself): the answer is the only time
   * its secret is shown.
   *
   * @param expiresAt when it stops working, or {@code null} for never
   * @throws ValidationException if {@code expiresAt} is not in the future
   */
  IssuedToken issueToken(String principalId, Instant expiresAt);

  /** A principal's tokens, without secrets (admin, or the principal itself). */
  List<TokenInfo> tokens(String principalId);

  /**
   * Revokes a token (admin, or its principal); revoking a revoked token changes nothing.
   *
   * @throws NotFoundException if there is no such token
   */
  void revokeToken(String tokenId);

  /**
   * The server's first start (docs/behaviour.md §13.7; the system handle only): when the store has no principal yet,
   * creates the admin principal {@code adminId} (clearance {@code restricted}) and issues it a token
   * that never expires, in one transaction, so that of several processes starting at once exactly
   * one bootstraps. With {@code secret} (e.g. from {@code VXDATA_ADMIN_TOKEN}; at least 43 URL-safe
   * characters) that is the token's secret, else a random one is drawn. When any principal exists,
   * changes nothing and answers empty.
   *
   * @throws ValidationException if {@code adminId} or {@code secret} is malformed
   */
  Optional<IssuedToken> bootstrap(String adminId, String secret);

  /**
   * The principal a bearer secret belongs to, if the token is known, not revoked, not expired and
   * its principal is not disabled. Secrets are compared in constant time. The system handle only:
   * a principal's view throws {@link ForbiddenException}.
   */
  Optional<Principal> authenticate(String secret);

  /**
   * The grants on a datasource (owner of it, or admin).
   *
   * @throws NotFoundException if the caller cannot see the datasource
   */
  List<Grant> grants(String datasourceId);

  /** Gives, or changes, a principal's role on a datasource (owner of it, or admin). */
  void grant(Grant grant);

  /** Takes a principal's role on a datasource away (owner of it, or admin); nothing if it had none. */
  void revokeGrant(String datasourceId, String principalId);

  /**
   * Commits after {@code since}, oldest first: every commit for admins, commits that touched their
   * datasources for owners.
   *
   * @param since a transaction time (exclusive), or {@code null} for the start
   * @param limit at most this many (1 to 1000)
   */
  List<Transaction> transactions(Instant since, int limit);
}
