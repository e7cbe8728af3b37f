package io.vxdata.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.vxdata.ValidationException;
import io.vxdata.access.Access;
import io.vxdata.json.AccessJson;
import io.vxdata.json.Json;
import io.vxdata.spi.Instants;
import java.time.Instant;
import java.util.Set;

/**
 * The access administration routes (docs/behaviour.md §13): {@code /whoami}, {@code /principals…},
 * {@code /tokens/{id}}, {@code /datasources/{id}/grants} and {@code /transactions}. Each calls the
 * caller's {@link Access}, which decides what the caller may do; changes of principals and tokens also
 * empty this server's token cache, so they apply to its next request.
 */
final class AccessController {

  /** The default and largest page of {@code GET /transactions}. */
  static final int DEFAULT_LIMIT = 100;
  static final int MAX_LIMIT = 1000;

  private final Authenticator authenticator;

  AccessController(Authenticator authenticator) {
    this.authenticator = authenticator;
  }

  private static Access access(Context ctx) {
    return Authenticator.view(ctx).access();
  }

  void whoami(Context ctx) {
    HttpIo.queryParams(ctx, Set.of());
    HttpIo.json(ctx, AccessJson.principal(access(ctx).whoami()));
  }

  void createPrincipal(Context ctx) {
    HttpIo.json(ctx, AccessJson.principal(access(ctx).createPrincipal(AccessJson.newPrincipalFromJson(HttpIo.body(ctx)))));
  }

  void principals(Context ctx) {
    HttpIo.queryParams(ctx, Set.of());
    HttpIo.json(ctx, AccessJson.principals(access(ctx).principals()));
  }

  void updatePrincipal(Context ctx) {
    var update = AccessJson.updateFromJson(HttpIo.body(ctx));
    var changed = access(ctx).updatePrincipal(ctx.pathParam("id"), update);
    authenticator.invalidate();
    HttpIo.json(ctx, AccessJson.principal(changed));
  }

  void issueToken(Context ctx) {
    byte[] bytes = ctx.bodyAsBytes();
    Instant expiresAt = bytes.length == 0 ? null : AccessJson.expiresAtFromJson(Json.parse(bytes));
    HttpIo.json(ctx, AccessJson.issued(access(ctx).issueToken(ctx.pathParam("id"), expiresAt)));
  }

  void tokens(Context ctx) {
    HttpIo.queryParams(ctx, Set.of());
    HttpIo.json(ctx, AccessJson.tokens(access(ctx).tokens(ctx.pathParam("id"))));
  }

  void revokeToken(Context ctx) {
    HttpIo.queryParams(ctx, Set.of());
    String id = ctx.pathParam("id");
    access(ctx).revokeToken(id);
    authenticator.invalidate();
    HttpIo.json(ctx, Json.mapper().createObjectNode().put("revoked", id));
  }

  void grants(Context ctx) {
    HttpIo.queryParams(ctx, Set.of());
    HttpIo.json(ctx, AccessJson.grants(access(ctx).grants(ctx.pathParam("id"))));
  }

  void grant(Context ctx) {
    HttpIo.queryParams(ctx, Set.of());
    String datasource = ctx.pathParam("id");
    JsonNode body = HttpIo.body(ctx);
    Access access = access(ctx);
    access.grant(AccessJson.grantFromJson(datasource, body));
    HttpIo.json(ctx, AccessJson.grants(access.grants(datasource)));
  }

  void revokeGrant(Context ctx) {
    HttpIo.queryParams(ctx, Set.of("principal_id"));
    String principal = ctx.queryParam("principal_id");
    if (principal == null || principal.isEmpty()) {
      throw ValidationException.of(null, "principal_id", "is required: the principal whose grant to take away");
    }
    String datasource = ctx.pathParam("id");
    Access access = access(ctx);
    access.revokeGrant(datasource, principal);
    HttpIo.json(ctx, AccessJson.grants(access.grants(datasource)));
  }

  void transactions(Context ctx) {
    HttpIo.queryParams(ctx, Set.of("since", "limit"));
    String sinceText = ctx.queryParam("since");
    Instant since = sinceText == null || sinceText.isEmpty() ? null : Instants.parse(sinceText, "since");
    int limit = DEFAULT_LIMIT;
    String limitText = ctx.queryParam("limit");
    if (limitText != null) {
      try {
        limit = Integer.parseInt(limitText.trim());
      } catch (NumberFormatException e) {
        limit = -1;
      }
      if (limit < 1 || limit > MAX_LIMIT) {
        throw ValidationException.of(null, "limit", "must be a whole number from 1 to %d, not '%s'", MAX_LIMIT,
            limitText);
      }
    }
    HttpIo.json(ctx, AccessJson.transactions(access(ctx).transactions(since, limit)));
  }
}
