package io.vxdata.jdbc.internal;

import io.vxdata.ForbiddenException;
import io.vxdata.ValidationException;
import io.vxdata.WriteResult;
import io.vxdata.relation.Link;
import io.vxdata.relation.RelationType;
import io.vxdata.relation.Relations;
import io.vxdata.spi.WriteValidator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jdbi.v3.core.Handle;

/**
 * {@link Relations} over {@code vx_relation} and {@code vx_link} (see {@code V6__relations.sql}), with the
 * rights of the caller {@code who} gives at each call. Links are written by {@link WriteTransaction}, so
 * that attach and detach are writes like any other, and deletes and restores carry links along.
 */
final class JdbcRelations implements Relations {

  private final Transactions transactions;
  private final Catalogs catalogs;
  private final Supplier<Caller> who;

  JdbcRelations(Transactions transactions, Catalogs catalogs, Supplier<Caller> who) {
    this.transactions = transactions;
    this.catalogs = catalogs;
    this.who = who;
  }

  @Override
  public void register(RelationType type) {
    Objects.requireNonNull(type, "type");
    Caller caller = who.get();
    if (!caller.system() && !transactions.withHandle(h -> Rights.load(h, caller)).admin()) {
      throw new ForbiddenException("registering a relation needs an admin; principal '%s' is not one",
          caller.principalId());
    }
    register(transactions, catalogs, caller, type);
  }

  /**
   * Registers {@code type} unless it is registered already, as a commit logged {@code register_relation};
   * with a null {@code caller} (the built-in relations, as the store opens), as part of the store's schema.
   */
  static void register(Transactions transactions, Catalogs catalogs, Caller caller, RelationType type) {
    Function<Handle, Transactions.Changed<Void>> body = h -> {
      Catalog now = catalogs.reload(h);
      RelationType existing = now.relation(type.name());
      if (type.equals(existing)) {
        return Transactions.Changed.nothing(null);
      }
      if (existing != null) {
        throw ValidationException.of(null, "name", "relation '%s' is registered already as %s; a relation never changes",
            type.name(), existing);
      }
      if (now.table(type.sourceType()) == null) {
        throw ValidationException.of(null, "source_type", "unknown payload type '%s'", type.sourceType());
      }
      if (now.table(type.targetType()) == null) {
        throw ValidationException.of(null, "target_type", "unknown payload type '%s'", type.targetType());
      }
      h.createUpdate("INSERT INTO vx_relation (name, source_type, target_type, targets_per_source, sources_per_target,"
              + " registered_at) VALUES (?, ?, ?, ?, ?, (SELECT last_tx FROM vx_meta WHERE id = 1))")
          .bind(0, type.name()).bind(1, type.sourceType()).bind(2, type.targetType())
          .bind(3, type.targetsPerSource().wireName()).bind(4, type.sourcesPerTarget().wireName()).execute();
      h.execute("UPDATE vx_meta SET types_version = types_version + 1 WHERE id = 1");
      return Transactions.Changed.one(null);
    };
    if (caller == null) {
      transactions.exclusively(body::apply);
    } else {
      transactions.change(caller, "register_relation", body);
    }
    transactions.withHandle(catalogs::reload);
  }

  @Override
  public Map<String, RelationType> types() {
    return catalogs.current().relations();
  }

  @Override
  public WriteResult attach(List<Link> links) {
    checkBatch(links);
    return counted(transactions.write(who.get(), "attach", w -> links.isEmpty() ? 0 : w.attach(links)));
  }

  @Override
  public WriteResult detach(List<Link> links) {
    checkBatch(links);
    return counted(transactions.write(who.get(), "detach", w -> links.isEmpty() ? 0 : w.detach(links)));
  }

  private static void checkBatch(List<Link> links) {
    Objects.requireNonNull(links, "links");
    WriteValidator.checkBatch(links.size(), "links");
    for (int i = 0; i < links.size(); i++) {
      if (links.get(i) == null) {
        throw ValidationException.of(null, "links[" + i + "]", "must be a link, not null");
      }
    }
  }

  private static WriteResult counted(Transactions.Committed<Integer> c) {
    return new WriteResult(c.value(), c.at());
  }
}
