package io.vxdata.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vxdata.AccessLevel;
import io.vxdata.ValidationException;
import io.vxdata.access.Grant;
import io.vxdata.access.IssuedToken;
import io.vxdata.access.Principal;
import io.vxdata.access.PrincipalUpdate;
import io.vxdata.access.Role;
import io.vxdata.access.TokenInfo;
import io.vxdata.access.Transaction;
import io.vxdata.spi.Instants;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * The JSON of the access administration routes (docs/behaviour.md §13): principals, tokens, grants and
 * the transaction log, both ways. Request bodies are read strictly (unknown keys and wrong types are a
 * {@link ValidationException} naming the member); answers leniently.
 */
public final class AccessJson {

  /** The member of an issued token that holds its secret (shown once). */
  public static final String TOKEN = "token";

  private AccessJson() {}

  // ---- principals ----

  /** {@code {"id", "name", "admin", "clearance", "disabled"}}. */
  public static ObjectNode principal(Principal p) {
    return Json.nodes().objectNode().put("id", p.id()).put("name", p.name()).put("admin", p.admin())
        .put("clearance", p.clearance().wireName()).put("disabled", p.disabled());
  }

  /** Reads a principal as {@link #principal(Principal)} writes it. */
  public static Principal principalFromJson(JsonNode json) {
    Members m = Members.object(json, "a principal", "", null);
    return new Principal(m.requiredString("id"), m.requiredString("name"), Boolean.TRUE.equals(m.bool("admin")),
        level(m, "clearance", true), Boolean.TRUE.equals(m.bool("disabled")));
  }

  /**
   * The body of {@code POST /principals}: {@code id} and {@code clearance} required, {@code name}
   * (default: the id), {@code admin} and {@code disabled} (default false) optional.
   */
  public static Principal newPrincipalFromJson(JsonNode json) {
    Members m = Members.of(json, "the request body", "", Set.of("id", "name", "admin", "clearance", "disabled"));
    String id = m.requiredString("id");
    String name = m.string("name");
    return new Principal(id, name == null ? id : name, Boolean.TRUE.equals(m.bool("admin")), level(m, "clearance", true),
        Boolean.TRUE.equals(m.bool("disabled")));
  }

  /** The body of {@code POST /principals} for {@code p}. */
  public static ObjectNode newPrincipal(Principal p) {
    return principal(p);
  }

  /** The body of {@code PATCH /principals/{id}}: only the members given change; at least one is required. */
  public static PrincipalUpdate updateFromJson(JsonNode json) {
    Members m = Members.of(json, "the request body", "", Set.of("name", "admin", "clearance", "disabled"));
    PrincipalUpdate update = new PrincipalUpdate(m.string("name"), m.bool("admin"), level(m, "clearance", false),
        m.bool("disabled"));
    if (update.name() == null && update.admin() == null && update.clearance() == null && update.disabled() == null) {
      throw ValidationException.of(null, null, "the request body must change at least one of name, admin, clearance,"
          + " disabled");
    }
    return update;
  }

  /** The body of {@code PATCH /principals/{id}} for {@code update}. */
  public static ObjectNode update(PrincipalUpdate update) {
    ObjectNode node = Json.nodes().objectNode();
    if (update.name() != null) {
      node.put("name", update.name());
    }
    if (update.admin() != null) {
      node.put("admin", update.admin());
    }
    if (update.clearance() != null) {
      node.put("clearance", update.clearance().wireName());
    }
    if (update.disabled() != null) {
      node.put("disabled", update.disabled());
    }
    return node;
  }

  // ---- tokens ----

  /** The body of {@code POST /principals/{id}/tokens}: an optional {@code expires_at}. */
  public static Instant expiresAtFromJson(JsonNode json) {
    Members m = Members.of(json, "the request body", "", Set.of("expires_at"));
    String text = m.string("expires_at");
    return text == null ? null : Instants.parse(text, "expires_at");
  }

  /** The body of {@code POST /principals/{id}/tokens}. */
  public static ObjectNode expiresAt(Instant expiresAt) {
    ObjectNode node = Json.nodes().objectNode();
    if (expiresAt != null) {
      node.put("expires_at", Json.formatInstant(expiresAt));
    }
    return node;
  }

  /** An issued token: {@code {"id", "principal_id", "token", "expires_at"}}, the only answer holding the secret. */
  public static ObjectNode issued(IssuedToken t) {
    ObjectNode node = Json.nodes().objectNode().put("id", t.id()).put("principal_id", t.principalId())
        .put(TOKEN, t.secret());
    Json.putNullable(node, "expires_at", t.expiresAt() == null ? null : Json.formatInstant(t.expiresAt()));
    return node;
  }

  public static IssuedToken issuedFromJson(JsonNode json) {
    Members m = Members.object(json, "an issued token", "", null);
    return new IssuedToken(m.requiredString("id"), m.requiredString("principal_id"), m.requiredString(TOKEN),
        m.instant("expires_at"));
  }

  /** {@code {"tokens": [{"id", "principal_id", "created_at", "expires_at", "revoked"}…]}}: never a secret. */
  public static ObjectNode tokens(List<TokenInfo> tokens) {
    ObjectNode root = Json.nodes().objectNode();
    ArrayNode list = root.putArray("tokens");
    for (TokenInfo t : tokens) {
      ObjectNode node = list.addObject().put("id", t.id()).put("principal_id", t.principalId())
          .put("created_at", Json.formatInstant(t.createdAt()));
      Json.putNullable(node, "expires_at", t.expiresAt() == null ? null : Json.formatInstant(t.expiresAt()));
      node.put("revoked", t.revoked());
    }
    return root;
  }

  public static List<TokenInfo> tokensFromJson(JsonNode json) {
    return list(json, "tokens", m -> new TokenInfo(m.requiredString("id"), m.requiredString("principal_id"),
        m.instant("created_at"), m.instant("expires_at"), Boolean.TRUE.equals(m.bool("revoked"))));
  }

  // ---- principals list ----

  /** {@code {"principals": […]}}. */
  public static ObjectNode principals(List<Principal> principals) {
    ObjectNode root = Json.nodes().objectNode();
    ArrayNode list = root.putArray("principals");
    principals.forEach(p -> list.add(principal(p)));
    return root;
  }

  public static List<Principal> principalsFromJson(JsonNode json) {
    return list(json, "principals", m -> principalFromJson(m.node()));
  }

  // ---- grants ----

  /** {@code {"grants": [{"datasource_id", "principal_id", "role"}…]}}. */
  public static ObjectNode grants(List<Grant> grants) {
    ObjectNode root = Json.nodes().objectNode();
    ArrayNode list = root.putArray("grants");
    grants.forEach(g -> list.addObject().put("datasource_id", g.datasourceId()).put("principal_id", g.principalId())
        .put("role", g.role().wireName()));
    return root;
  }

  public static List<Grant> grantsFromJson(JsonNode json) {
    return list(json, "grants", m -> new Grant(m.requiredString("datasource_id"), m.requiredString("principal_id"),
        role(m)));
  }

  /** The body of {@code PUT /datasources/{id}/grants}: {@code {"principal_id", "role"}}, both required. */
  public static Grant grantFromJson(String datasourceId, JsonNode json) {
    Members m = Members.of(json, "the request body", "", Set.of("principal_id", "role"));
    String principal = m.requiredString("principal_id");
    m.required("role");
    return new Grant(datasourceId, principal, role(m));
  }

  /** The body of {@code PUT /datasources/{id}/grants} for {@code grant}. */
  public static ObjectNode grant(Grant grant) {
    return Json.nodes().objectNode().put("principal_id", grant.principalId()).put("role", grant.role().wireName());
  }

  // ---- the transaction log ----

  /** {@code {"transactions": [{"transaction_time", "principal_id", "operation", "count", "request_id"}…]}}. */
  public static ObjectNode transactions(List<Transaction> transactions) {
    ObjectNode root = Json.nodes().objectNode();
    ArrayNode list = root.putArray("transactions");
    for (Transaction t : transactions) {
      ObjectNode node = list.addObject().put("transaction_time", Json.formatInstant(t.transactionTime()))
          .put("principal_id", t.principalId()).put("operation", t.operation()).put("count", t.count());
      Json.putNullable(node, "request_id", t.requestId());
    }
    return root;
  }

  public static List<Transaction> transactionsFromJson(JsonNode json) {
    return list(json, "transactions", m -> new Transaction(m.instant("transaction_time"),
        m.requiredString("principal_id"), m.requiredString("operation"), m.integer("count"), m.string("request_id")));
  }

  // ----

  private static AccessLevel level(Members m, String key, boolean required) {
    String text = required ? m.requiredString(key) : m.string(key);
    if (text == null) {
      return null;
    }
    try {
      return AccessLevel.parse(text);
    } catch (IllegalArgumentException e) {
      throw m.fail(key, "must be one of public, internal, confidential, restricted, not '" + text + "'");
    }
  }

  private static Role role(Members m) {
    String text = m.requiredString("role");
    try {
      return Role.parse(text);
    } catch (IllegalArgumentException e) {
      throw m.fail("role", "must be one of viewer, editor, owner, not '" + text + "'");
    }
  }

  private static <T> List<T> list(JsonNode json, String key, Function<Members, T> item) {
    JsonNode array = Members.object(json, "an answer", "", null).required(key);
    if (!array.isArray()) {
      throw ValidationException.of(null, key, "must be a list, not %s", Members.describe(array));
    }
    List<T> out = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      out.add(item.apply(Members.object(array.get(i), key + "[" + i + "]", key + "[" + i + "]", null)));
    }
    return out;
  }
}
