package io.vxdata.jdbc.internal;

import io.vxdata.AccessLevel;
import io.vxdata.ForbiddenException;
import io.vxdata.NotFoundException;
import io.vxdata.ValidationException;
import io.vxdata.access.Access;
import io.vxdata.access.Grant;
import io.vxdata.access.IssuedToken;
import io.vxdata.access.Principal;
import io.vxdata.access.PrincipalUpdate;
import io.vxdata.access.Role;
import io.vxdata.access.TokenInfo;
import io.vxdata.access.Transaction;
import io.vxdata.spi.Identifiers;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.argument.Argument;

/**
 * {@link Access} over the store's tables {@code vx_principal}, {@code vx_grant}, {@code vx_token} and
 * {@code vx_transaction} (see {@code V2__access.sql}), with the rights of one {@link Caller}, read
 * from the database in each call's transaction so that changes apply at once.
 *
 * <p>Token secrets are 32 bytes of {@link SecureRandom} (256 bits) as unpadded base64url; only
 * their SHA-256 is stored, found by an index and compared with {@link MessageDigest#isEqual}.
 * Nothing here logs a secret or puts one in a message.
 */
final class JdbcAccess implements Access {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Pattern SECRET = Pattern.compile("[A-Za-z0-9_-]{43,512}");
  private static final int MAX_NAME = 1000;

  private final Transactions transactions;
  private final Caller caller;
  private final Clock clock;

  JdbcAccess(Transactions transactions, Caller caller, Clock clock) {
    this.transactions = transactions;
    this.caller = caller;
    this.clock = clock;
  }

  // ---- principals ----

  @Override
  public Principal whoami() {
    if (caller.system()) {
      return new Principal(Principal.SYSTEM, Principal.SYSTEM, true, AccessLevel.RESTRICTED, false);
    }
    return transactions.withHandle(h -> principal(h, caller.principalId())).filter(p -> !p.disabled())
        .orElseThrow(() -> new io.vxdata.UnauthenticatedException("no enabled principal '" + caller.principalId()
            + "'"));
  }

  @Override
  public Principal createPrincipal(Principal principal) {
    Objects.requireNonNull(principal, "principal");
    checkPrincipal(principal.id(), principal.name());
    return change("create_principal", h -> {
      requireAdmin(h, "create principals");
      if (principal(h, principal.id()).isPresent()) {
        throw ValidationException.of(principal.id(), "id", "principal '%s' exists already", principal.id());
      }
      insertPrincipal(h, principal);
      return Transactions.Changed.one(principal);
    });
  }

  @Override
  public List<Principal> principals() {
    return inTransaction(h -> {
      requireAdmin(h, "list principals");
      return h.createQuery("SELECT id, display_name, is_admin, clearance, disabled FROM vx_principal ORDER BY id")
          .map((rs, ctx) -> new Principal(rs.getString(1), rs.getString(2), rs.getBoolean(3),
              AccessLevel.values()[rs.getShort(4)], rs.getBoolean(5)))
          .list();
    });
  }

  @Override
  public Principal updatePrincipal(String principalId, PrincipalUpdate update) {
    Objects.requireNonNull(update, "update");
    return change("update_principal", h -> {
      requireAdmin(h, "change principals");
      Principal before = principal(h, principalId)
          .orElseThrow(() -> NotFoundException.of(principalId, "no principal '%s'", principalId));
      Principal after = new Principal(before.id(), update.name() == null ? before.name() : update.name(),
          update.admin() == null ? before.admin() : update.admin(),
          update.clearance() == null ? before.clearance() : update.clearance(),
          update.disabled() == null ? before.disabled() : update.disabled());
      checkPrincipal(after.id(), after.name());
      h.createUpdate("UPDATE vx_principal SET display_name = ?, is_admin = ?, clearance = ?, disabled = ? WHERE id = ?")
          .bind(0, after.name()).bind(1, after.admin()).bind(2, (short) after.clearance().ordinal())
          .bind(3, after.disabled()).bind(4, after.id())
          .execute();
      return after.equals(before) ? Transactions.Changed.nothing(after) : Transactions.Changed.one(after);
    });
  }

  // ---- tokens ----

  @Override
  public IssuedToken issueToken(String principalId, Instant expiresAt) {
    Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
    if (expiresAt != null && !expiresAt.isAfter(now)) {
      throw ValidationException.of(principalId, "expires_at", "must be in the future");
    }
    return change("issue_token", h -> {
      requireSelfOrAdmin(h, principalId, "issue tokens");
      if (principal(h, principalId).isEmpty()) {
        throw NotFoundException.of(principalId, "no principal '%s'", principalId);
      }
      return Transactions.Changed.one(insertToken(h, principalId, randomSecret(), now,
          expiresAt == null ? null : expiresAt.truncatedTo(ChronoUnit.MICROS)));
    });
  }

  @Override
  public List<TokenInfo> tokens(String principalId) {
    return inTransaction(h -> {
      requireSelfOrAdmin(h, principalId, "list tokens");
      return h.createQuery("SELECT id, principal_id, created_at, expires_at, revoked_at FROM vx_token"
              + " WHERE principal_id = ? ORDER BY created_at, id")
          .bind(0, Sql.text(principalId))
          .map((rs, ctx) -> new TokenInfo(rs.getString(1), rs.getString(2), TypeTable.instant(rs, 3),
              TypeTable.instant(rs, 4), TypeTable.instant(rs, 5) != null))
          .list();
    });
  }

  @Override
  public void revokeToken(String tokenId) {
    change("revoke_token", h -> {
      Rights rights = Rights.load(h, caller);
      String owner = h.createQuery("SELECT principal_id FROM vx_token WHERE id = ?").bind(0, Sql.text(tokenId))
          .mapTo(String.class).findOne().orElse(null);
      // Someone else's token is as unknown as a token that does not exist.
      if (owner == null || !rights.admin() && !owner.equals(caller.principalId())) {
        throw NotFoundException.of(null, "no token '%s'", tokenId);
      }
      int revoked = h.createUpdate("UPDATE vx_token SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL")
          .bind(0, Sql.time(clock.instant().truncatedTo(ChronoUnit.MICROS))).bind(1, Sql.text(tokenId))
          .execute();
      return new Transactions.Changed<Void>(null, revoked, Set.of());
    });
  }

  @Override
  public Optional<IssuedToken> bootstrap(String adminId, String secret) {
    requireSystem("bootstrap");
    checkPrincipal(adminId, adminId);
    if (secret != null && !SECRET.matcher(secret).matches()) {
      throw ValidationException.of(adminId, "secret", "must be 43 to 512 URL-safe characters (A-Z a-z 0-9 - _)");
    }
    Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
    Optional<IssuedToken> issued = Optional.empty();
    java.util.concurrent.atomic.AtomicReference<IssuedToken> out = new java.util.concurrent.atomic.AtomicReference<>();
    // Under the writers' lock: of several processes starting at once, exactly one finds no principal.
    transactions.change(caller, "bootstrap", h -> {
      long principals = h.createQuery("SELECT COUNT(*) FROM vx_principal").mapTo(Long.class).one();
      if (principals == 0) {
        insertPrincipal(h, new Principal(adminId, adminId, true, AccessLevel.RESTRICTED, false));
        out.set(insertToken(h, adminId, secret == null ? randomSecret() : secret, now, null));
        return Transactions.Changed.one(null);
      }
      return Transactions.Changed.nothing(null);
    });
    return out.get() == null ? issued : Optional.of(out.get());
  }

  @Override
  public Optional<Principal> authenticate(String secret) {
    requireSystem("authenticate tokens");
    if (secret == null || !SECRET.matcher(secret).matches()) {
      return Optional.empty();
    }
    byte[] hash = sha256(secret);
    Instant now = clock.instant();
    return transactions.withHandle(h -> h.createQuery("SELECT t.secret_hash, t.expires_at, t.revoked_at, p.id,"
            + " p.display_name, p.is_admin, p.clearance, p.disabled FROM vx_token t JOIN vx_principal p"
            + " ON p.id = t.principal_id WHERE t.secret_hash = ?")
        .bind(0, Sql.text(HexFormat.of().formatHex(hash)))
        .map((rs, ctx) -> {
          byte[] stored = HexFormat.of().parseHex(rs.getString(1));
          Instant expires = TypeTable.instant(rs, 2);
          boolean usable = MessageDigest.isEqual(stored, hash) && TypeTable.instant(rs, 3) == null
              && (expires == null || now.isBefore(expires)) && !rs.getBoolean(8);
          return usable ? new Principal(rs.getString(4), rs.getString(5), rs.getBoolean(6),
              AccessLevel.values()[rs.getShort(7)], false) : null;
        })
        .findFirst()
        .filter(Objects::nonNull));
  }

  // ---- grants ----

  @Override
  public List<Grant> grants(String datasourceId) {
    return inTransaction(h -> {
      requireOwner(h, datasourceId);
      return h.createQuery("SELECT datasource_id, principal_id, grant_role FROM vx_grant WHERE datasource_id = ?"
              + " ORDER BY principal_id")
          .bind(0, Sql.text(datasourceId))
          .map((rs, ctx) -> new Grant(rs.getString(1), rs.getString(2), Role.values()[rs.getShort(3)]))
          .list();
    });
  }

  @Override
  public void grant(Grant grant) {
    Objects.requireNonNull(grant, "grant");
    change("grant", h -> {
      requireOwner(h, grant.datasourceId());
      if (principal(h, grant.principalId()).isEmpty()) {
        throw NotFoundException.of(grant.principalId(), "no principal '%s'", grant.principalId());
      }
      Short held = h.createQuery("SELECT grant_role FROM vx_grant WHERE principal_id = ? AND datasource_id = ?")
          .bind(0, Sql.text(grant.principalId())).bind(1, Sql.text(grant.datasourceId()))
          .mapTo(Short.class).findOne().orElse(null);
      if (held != null && held == grant.role().ordinal()) {
        return Transactions.Changed.nothing(null);
      }
      h.createUpdate("DELETE FROM vx_grant WHERE principal_id = ? AND datasource_id = ?")
          .bind(0, Sql.text(grant.principalId())).bind(1, Sql.text(grant.datasourceId())).execute();
      h.createUpdate("INSERT INTO vx_grant (principal_id, datasource_id, grant_role) VALUES (?, ?, ?)")
          .bind(0, Sql.text(grant.principalId())).bind(1, Sql.text(grant.datasourceId()))
          .bind(2, (short) grant.role().ordinal())
          .execute();
      return Transactions.Changed.<Void>one(null, grant.datasourceId());
    });
  }

  @Override
  public void revokeGrant(String datasourceId, String principalId) {
    change("revoke_grant", h -> {
      requireOwner(h, datasourceId);
      int revoked = h.createUpdate("DELETE FROM vx_grant WHERE principal_id = ? AND datasource_id = ?")
          .bind(0, Sql.text(principalId)).bind(1, Sql.text(datasourceId)).execute();
      return new Transactions.Changed<Void>(null, revoked, Set.of(datasourceId));
    });
  }

  // ---- the transaction log ----

  @Override
  public List<Transaction> transactions(Instant since, int limit) {
    if (limit < 1 || limit > 1000) {
      throw ValidationException.of(null, "limit", "must be 1 to 1000, not %d", limit);
    }
    return inTransaction(h -> {
      Rights rights = Rights.load(h, caller);
      List<Argument> args = new ArrayList<>();
      String sql = "SELECT x.tx_time, x.principal_id, x.operation, x.row_count, x.request_id FROM vx_transaction x";
      String where = " WHERE x.tx_time > ?";
      args.add(Sql.time(since == null ? Instant.EPOCH.minusSeconds(1) : since));
      if (!rights.admin()) {
        // An owner sees the commits that touched a datasource it owns now.
        where += " AND EXISTS (SELECT 1 FROM vx_transaction_datasource d JOIN vx_grant g"
            + " ON g.datasource_id = d.datasource_id WHERE d.tx_time = x.tx_time AND g.principal_id = ?"
            + " AND g.grant_role = ?)";
        args.add(Sql.text(caller.principalId()));
        short owner = (short) Role.OWNER.ordinal();
        args.add((i, st, ctx) -> st.setShort(i, owner));
      }
      args.add((i, st, ctx) -> st.setInt(i, limit));
      return Sql.bindAll(h.createQuery(sql + where + " ORDER BY x.tx_time LIMIT ?"), args)
          .map((rs, ctx) -> new Transaction(TypeTable.instant(rs, 1), rs.getString(2), rs.getString(3), rs.getInt(4),
              rs.getString(5)))
          .list();
    });
  }

  // ---- helpers ----

  private <R> R inTransaction(Function<Handle, R> body) {
    return transactions.inTransaction(body);
  }

  /** A change of principals, tokens or grants: a commit of its own, in the transaction log (docs/behaviour.md §13.6). */
  private <R> R change(String operation, Function<Handle, Transactions.Changed<R>> body) {
    return transactions.change(caller, operation, body);
  }

  private void requireSystem(String what) {
    if (!caller.system()) {
      throw new ForbiddenException("only the system handle may %s", what);
    }
  }

  private void requireAdmin(Handle h, String what) {
    if (!Rights.load(h, caller).admin()) {
      throw new ForbiddenException("principal '%s' may not %s: that needs an admin", caller.principalId(), what);
    }
  }

  private void requireSelfOrAdmin(Handle h, String principalId, String what) {
    // Loaded also for the principal itself: a disabled one is refused (UnauthenticatedException).
    if (!Rights.load(h, caller).admin() && !caller.principalId().equals(principalId)) {
      throw new ForbiddenException("principal '%s' may not %s of '%s': that needs an admin", caller.principalId(),
          what, principalId);
    }
  }

  /**
   * Managing a datasource's grants needs owner on it or an admin. A datasource that is not active, or
   * that the caller cannot see, is not found.
   */
  private void requireOwner(Handle h, String datasourceId) {
    if (datasourceId == null || !Identifiers.isValid(datasourceId)) {
      throw ValidationException.of(datasourceId, "datasource_id", "%s", Identifiers.describeProblem(datasourceId));
    }
    Rights rights = Rights.load(h, caller);
    boolean active = h.createQuery("SELECT COUNT(*) FROM vxc_datasource WHERE identifier = ? AND NOT is_deleted")
        .bind(0, Sql.text(datasourceId)).mapTo(Long.class).one() > 0;
    if (!active || !rights.admin() && !rights.roles().containsKey(datasourceId)) {
      throw NotFoundException.of(datasourceId, "no active datasource '%s'", datasourceId);
    }
    if (!rights.owns(datasourceId)) {
      throw new ForbiddenException("principal '%s' may not manage the grants of datasource '%s': that needs owner",
          caller.principalId(), datasourceId);
    }
  }

  private static void checkPrincipal(String id, String name) {
    if (id == null || !Identifiers.isValid(id)) {
      throw ValidationException.of(id, "id", "%s", Identifiers.describeProblem(id));
    }
    if (id.equals(Principal.SYSTEM)) {
      throw ValidationException.of(id, "id", "'system' is reserved for the system handle");
    }
    if (name == null || name.isEmpty() || name.length() > MAX_NAME) {
      throw ValidationException.of(id, "name", "must be 1 to %d characters", MAX_NAME);
    }
  }

  private static Optional<Principal> principal(Handle h, String id) {
    return h.createQuery("SELECT id, display_name, is_admin, clearance, disabled FROM vx_principal WHERE id = ?")
        .bind(0, Sql.text(id))
        .map((rs, ctx) -> new Principal(rs.getString(1), rs.getString(2), rs.getBoolean(3),
            AccessLevel.values()[rs.getShort(4)], rs.getBoolean(5)))
        .findOne();
  }

  private void insertPrincipal(Handle h, Principal p) {
    h.createUpdate("INSERT INTO vx_principal (id, display_name, is_admin, clearance, disabled, created_at)"
            + " VALUES (?, ?, ?, ?, ?, ?)")
        .bind(0, p.id()).bind(1, p.name()).bind(2, p.admin()).bind(3, (short) p.clearance().ordinal())
        .bind(4, p.disabled()).bind(5, Sql.time(clock.instant().truncatedTo(ChronoUnit.MICROS)))
        .execute();
  }

  private static IssuedToken insertToken(Handle h, String principalId, String secret, Instant now, Instant expiresAt) {
    String id = "tk-" + randomText(12);
    h.createUpdate("INSERT INTO vx_token (id, principal_id, secret_hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?)")
        .bind(0, Sql.text(id)).bind(1, Sql.text(principalId))
        .bind(2, Sql.text(HexFormat.of().formatHex(sha256(secret))))
        .bind(3, Sql.time(now)).bind(4, Sql.time(expiresAt))
        .execute();
    return new IssuedToken(id, principalId, secret, expiresAt);
  }

  private static String randomSecret() {
    return randomText(32);
  }

  private static String randomText(int bytes) {
    byte[] raw = new byte[bytes];
    RANDOM.nextBytes(raw);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
  }

  static byte[] sha256(String secret) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
