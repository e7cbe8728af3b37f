package io.vxdata.jdbc.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.vxdata.Answer;
import io.vxdata.AsOf;
import io.vxdata.Cascade;
import io.vxdata.DatasourceDetails;
import io.vxdata.DatasourceStats;
import io.vxdata.Fields;
import io.vxdata.NewResource;
import io.vxdata.NotFoundException;
import io.vxdata.ReadOptions;
import io.vxdata.Registration;
import io.vxdata.Resource;
import io.vxdata.ResourceUpdate;
import io.vxdata.StoreException;
import io.vxdata.ValidationException;
import io.vxdata.VxData;
import io.vxdata.VxDataException;
import io.vxdata.Violation;
import io.vxdata.WriteResult;
import io.vxdata.jdbc.StoreOptions;
import io.vxdata.query.QueryPage;
import io.vxdata.query.QueryRequest;
import io.vxdata.schema.BuiltInTypes;
import io.vxdata.schema.PayloadField;
import io.vxdata.schema.PayloadType;
import io.vxdata.spi.Identifiers;
import io.vxdata.spi.Limits;
import io.vxdata.spi.WriteValidator;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link VxData} of the JDBC store. Obtain one from {@link io.vxdata.jdbc.VxDataStore}.
 *
 * <p><b>Ordering writers.</b> Every write runs in one database transaction that first locks the
 * single row of {@code vx_meta} ({@code SELECT ... FOR UPDATE}; in this process a fair lock is
 * taken first so threads queue in Java rather than in the database). Under that lock it reads the
 * last transaction time, picks {@code max(clock, last + 1µs)}, stamps every new version with it
 * and stores it as the new last time before committing. Commits are therefore totally ordered and
 * their times strictly increase, across threads and across processes sharing a database. A reader
 * at time {@code t <= lastCommitTime()} can never see a later commit, since any such commit has a
 * time greater than {@code t}: the answer is final.
 */
public final class JdbcVxData implements VxData {

  private static final Logger LOG = LoggerFactory.getLogger(JdbcVxData.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_DEPTH = 10_000;

  private final HikariDataSource dataSource;
  private final Jdbi jdbi;
  private final Dialect dialect;
  private final Clock clock;
  private final ReentrantLock writeLock = new ReentrantLock(true);
  private volatile Catalog catalog = new Catalog(-1, Map.of());
  private final Queries queries;
  /**
   * The latest commit time this process has seen. A read at an earlier time needs history, so it
   * does not try the current tables first.
   */
  private final AtomicReference<Instant> lastSeenCommit = new AtomicReference<>(Instant.EPOCH);

  private JdbcVxData(HikariDataSource dataSource, Dialect dialect, Clock clock) {
    this.dataSource = dataSource;
    this.jdbi = Jdbi.create(dataSource);
    this.dialect = dialect;
    this.clock = clock;
    // The migration created the secret; every process on this database signs cursors with it.
    String secret = withHandle(h -> h.createQuery("SELECT cursor_secret FROM vx_meta WHERE id = 1")
        .mapTo(String.class).one());
    this.queries = new Queries(dialect, new Cursors(secret));
  }

  /** Connects, migrates the database, and registers or evolves the built-in payload types. */
  public static JdbcVxData open(StoreOptions options) {
    Dialect dialect = Dialect.of(options.jdbcUrl());
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(dialect.normalizeUrl(options.jdbcUrl()));
    config.setUsername(options.user());
    config.setPassword(options.password());
    config.setMaximumPoolSize(options.maxPoolSize());
    config.setPoolName("vxdata");
    HikariDataSource dataSource;
    try {
      dataSource = new HikariDataSource(config);
    } catch (RuntimeException e) {
      if (dialect == Dialect.H2 && hasErrorCode(e, H2_DATABASE_IN_USE)) {
        throw new StoreException("cannot open " + options.jdbcUrl() + ": the H2 file store is open in another"
            + " process. An H2 file store belongs to one process at a time: stop the other process, give this"
            + " one its own directory, or share one store through the VxData server or PostgreSQL", e);
      }
      throw new StoreException("cannot connect to " + options.jdbcUrl() + ": " + rootMessage(e), e);
    }
    try {
      Flyway.configure()
          .dataSource(dataSource)
          .locations("classpath:db/vxdata")
          .table("vx_schema_history")
          .load()
          .migrate();
      JdbcVxData store = new JdbcVxData(dataSource, dialect, options.clock());
      for (PayloadType builtIn : BuiltInTypes.all()) {
        store.registerType(builtIn);
      }
      store.ensureKeyIndexes();
      LOG.info("VxData store open on {} ({} payload types)", options.jdbcUrl(), store.catalog.tables().size());
      return store;
    } catch (RuntimeException e) {
      dataSource.close();
      throw e instanceof VxDataException v ? v
          : new StoreException("cannot open the store at " + options.jdbcUrl() + ": " + rootMessage(e), e);
    }
  }

  // ---- writes ----

  @Override
  public WriteResult create(List<NewResource> resources) {
    Objects.requireNonNull(resources, "resources");
    return counted(write(w -> resources.isEmpty() ? 0 : w.create(resources)));
  }

  @Override
  public WriteResult update(Map<String, ResourceUpdate> updates) {
    Objects.requireNonNull(updates, "updates");
    WriteValidator.checkBatch(updates.size(), "updates");
    return counted(write(w -> updates.isEmpty() ? 0 : w.update(updates)));
  }

  @Override
  public WriteResult delete(List<String> identifiers, Cascade cascade) {
    Objects.requireNonNull(cascade, "cascade");
    WriteValidator.checkIdentifiers(identifiers, "identifiers");
    return counted(write(w -> identifiers.isEmpty() ? 0 : w.delete(identifiers, cascade)));
  }

  @Override
  public WriteResult restore(List<String> identifiers) {
    WriteValidator.checkIdentifiers(identifiers, "identifiers");
    return counted(write(w -> identifiers.isEmpty() ? 0 : w.restore(identifiers)));
  }

  private static WriteResult counted(Committed<Integer> c) {
    return new WriteResult(c.value(), c.at());
  }

  @Override
  public Registration registerPatient(String datasourceId, String externalUid) {
    checkRegistrationKey("datasource_id", datasourceId, externalUid);
    return registered(write(w -> {
      requireActiveOf(w, datasourceId, BuiltInTypes.DATASOURCE, "datasource_id");
      findRegistered(BuiltInTypes.PATIENT, datasourceId, externalUid).ifPresent(existing -> {
        throw ValidationException.of(existing, "external_uid",
            "'%s' is already registered under datasource '%s'", externalUid, datasourceId);
      });
      return w.register("pt", BuiltInTypes.PATIENT, datasourceId,
          Map.of("datasource_id", datasourceId, "external_uid", externalUid));
    }));
  }

  @Override
  public String resolvePatient(String datasourceId, String externalUid) {
    checkRegistrationKey("datasource_id", datasourceId, externalUid);
    return findRegistered(BuiltInTypes.PATIENT, datasourceId, externalUid)
        .orElseThrow(() -> NotFoundException.of(null, "no patient with external uid '%s' under datasource '%s'",
            externalUid, datasourceId));
  }

  @Override
  public Registration registerStudy(String patientIdentifier, String externalUid) {
    checkRegistrationKey("patient_identifier", patientIdentifier, externalUid);
    return registered(write(w -> {
      requireActiveOf(w, patientIdentifier, BuiltInTypes.PATIENT, "patient_identifier");
      findRegistered(BuiltInTypes.STUDY, patientIdentifier, externalUid)
          .ifPresent(existing -> {
            throw ValidationException.of(existing, "external_uid",
                "'%s' is already registered under patient '%s'", externalUid, patientIdentifier);
          });
      return w.register("st", BuiltInTypes.STUDY, patientIdentifier, Map.of("external_uid", externalUid));
    }));
  }

  private static Registration registered(Committed<String> c) {
    return new Registration(c.value(), c.at());
  }

  @Override
  public String resolveStudy(String patientIdentifier, String externalUid) {
    checkRegistrationKey("patient_identifier", patientIdentifier, externalUid);
    return findRegistered(BuiltInTypes.STUDY, patientIdentifier, externalUid)
        .orElseThrow(() -> NotFoundException.of(null, "no study with external uid '%s' under patient '%s'",
            externalUid, patientIdentifier));
  }

  private static void checkRegistrationKey(String ownerField, String owner, String externalUid) {
    if (!Identifiers.isValid(owner)) {
      throw ValidationException.of(owner, ownerField, "%s", Identifiers.describeProblem(owner));
    }
    if (externalUid == null || externalUid.isEmpty()) {
      throw ValidationException.of(owner, "external_uid", "is required and may not be empty");
    }
    String problem = Limits.textProblem(externalUid, true);
    if (problem != null) {
      throw ValidationException.of(owner, "external_uid", "%s", problem);
    }
  }

  private static void requireActiveOf(WriteTransaction w, String identifier, String type, String field) {
    w.load(List.of(identifier));
    Resource owner = w.currentRow(identifier);
    if (owner == null || owner.isDeleted()) {
      throw NotFoundException.of(identifier, "%s '%s' is unknown or deleted", type, identifier);
    }
    if (!owner.payloadType().equals(type)) {
      throw ValidationException.of(identifier, field, "'%s' is a %s, not a %s", identifier, owner.payloadType(), type);
    }
  }

  /**
   * The active resource of {@code type} keyed by ({@code parent}, {@code externalUid}): the key every
   * write path keeps unique (§12.3), and the one the unique index holds, so registering, resolving
   * and the other writes agree. A store written before keys were enforced may still hold a key twice
   * (it then has no key index yet, see {@link #ensureKeyIndexes()}): that is refused, not guessed.
   */
  private Optional<String> findRegistered(String type, String parent, String externalUid) {
    TypeTable table = catalog.table(type);
    List<String> holders = withHandle(h -> h.createQuery("SELECT identifier FROM " + table.current()
            + " WHERE parent_identifier = ? AND " + TypeTable.quote(BuiltInTypes.EXTERNAL_UID)
            + " = ? AND NOT is_deleted ORDER BY identifier")
        .bind(0, Sql.text(parent))
        .bind(1, Sql.text(externalUid))
        .setMaxRows(2)
        .mapTo(String.class)
        .list());
    if (holders.size() > 1) {
      throw ValidationException.of(holders.get(0), BuiltInTypes.EXTERNAL_UID,
          "the key '%s' under '%s' is held by several active %ss (%s, ...), written before keys were enforced;"
              + " give all but one another external_uid", externalUid, parent, type, String.join(", ", holders));
    }
    return holders.stream().findFirst();
  }

  @Override
  public void registerType(PayloadType type) {
    Objects.requireNonNull(type, "type");
    writeLock.lock();
    try {
      jdbi.useTransaction(h -> {
        lockMeta(h);
        Catalog now = refreshCatalog(h);
        TypeTable existing = now.table(type.name());
        List<String> unknownParents = type.parentTypes().stream()
            .filter(p -> !p.equals(type.name()) && now.table(p) == null).sorted().toList();
        if (!unknownParents.isEmpty()) {
          throw ValidationException.of(null, "x-vxdata-parent-types", "payload type '%s' names unknown parent types %s",
              type.name(), unknownParents);
        }
        TypeTable table = new TypeTable(type, dialect);
        if (existing == null) {
          table.createStatements().forEach(h::execute);
          h.createUpdate("INSERT INTO vx_type (name, schema_json, registered_at) VALUES (?, ?, ?)")
              .bind(0, type.name()).bind(1, type.schema()).bind(2, Sql.time(clock.instant())).execute();
        } else if (!sameDocument(existing.type().schema(), type.schema())) {
          List<String> problems = type.incompatibilitiesWith(existing.type());
          if (!problems.isEmpty()) {
            throw ValidationException.of(null, "payload_type", "payload type '%s' cannot change that way: %s",
                type.name(), String.join("; ", problems));
          }
          for (PayloadField field : type.fields()) {
            if (existing.type().field(field.name()).isEmpty()) {
              table.addFieldStatements(field).forEach(h::execute);
            } else {
              table.indexStatements(field).forEach(h::execute);
            }
          }
          h.createUpdate("UPDATE vx_type SET schema_json = ? WHERE name = ?")
              .bind(0, type.schema()).bind(1, type.name()).execute();
        } else {
          return;
        }
        h.execute("UPDATE vx_meta SET types_version = types_version + 1 WHERE id = 1");
      });
      refreshCatalog();
    } catch (JdbiException e) {
      throw translate(e);
    } finally {
      writeLock.unlock();
    }
  }

  /** What a write's body returned and the time it committed at (§12.4). */
  private record Committed<R>(R value, Instant at) {}

  /**
   * Runs one write: takes the write lock, picks the transaction time, runs {@code body} and, if it
   * wrote anything, records the time as the last commit time. Any exception rolls back everything.
   * A write that wrote nothing reports the last commit time read under the lock: no commit can
   * slip in between, so it is exactly the state the write saw.
   */
  private <R> Committed<R> write(Function<WriteTransaction, R> body) {
    writeLock.lock();
    AtomicReference<WriteTransaction> attempt = new AtomicReference<>();
    try {
      return jdbi.inTransaction(h -> {
        Meta meta = lockMeta(h);
        Catalog types = meta.typesVersion() == catalog.version() ? catalog : refreshCatalog(h);
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        Instant tx = now.isAfter(meta.lastTx()) ? now : meta.lastTx().plus(1, ChronoUnit.MICROS);
        WriteTransaction w = new WriteTransaction(h, types, tx);
        attempt.set(w);
        R result = body.apply(w);
        if (!w.wroteAnything()) {
          return new Committed<>(result, meta.lastTx());
        }
        h.createUpdate("UPDATE vx_meta SET last_tx = ? WHERE id = 1").bind(0, Sql.time(tx)).execute();
        // Ahead of the commit is harmless: a read at an earlier time then goes straight to history.
        sawCommit(tx);
        return new Committed<>(result, tx);
      });
    } catch (JdbiException e) {
      throw attempt.get() != null && violatesKeyIndex(e) ? keyConflict(attempt.get(), e) : translate(e);
    } finally {
      writeLock.unlock();
    }
  }

  /** Whether {@code e} is a unique violation of a key index (§12.3). */
  private boolean violatesKeyIndex(JdbiException e) {
    if (!(e.getCause() instanceof SQLException sql) || !"23505".equals(sql.getSQLState()) || sql.getMessage() == null) {
      return false;
    }
    String message = sql.getMessage().toLowerCase(java.util.Locale.ROOT);
    return catalog.tables().values().stream().anyMatch(t -> t.keyed() && message.contains(t.keyIndex()));
  }

  /**
   * A key the write's own checks found free was taken in the database: only a writer that does not
   * queue on this store's lock can do that. Answered like the checks would have, naming the holder
   * as read after the rollback; the field alone if the holder has gone again.
   */
  private VxDataException keyConflict(WriteTransaction failed, JdbiException e) {
    List<Violation> holders;
    try {
      holders = withHandle(failed::keyViolations);
    } catch (VxDataException unreadable) {
      holders = List.of();
    }
    return holders.isEmpty()
        ? ValidationException.of(null, BuiltInTypes.EXTERNAL_UID,
            "the key of a %s or %s in this write was taken by a concurrent write; nothing was written (%s)",
            BuiltInTypes.PATIENT, BuiltInTypes.STUDY, ((SQLException) e.getCause()).getMessage())
        : new ValidationException(holders);
  }

  /**
   * Gives the keyed tables of a store created before keys were enforced their marker column and
   * unique key index (tables created since have both). If stored rows already hold a key twice, the
   * index cannot be built: the store opens without it, writes still refuse new conflicts (they check
   * under the write lock), the log names the rows to fix, and the next open tries again.
   */
  private void ensureKeyIndexes() {
    for (TypeTable table : catalog.tables().values()) {
      if (!table.keyed() || withHandle(h -> hasKeyIndex(h, table))) {
        continue;
      }
      writeLock.lock();
      try {
        jdbi.useTransaction(h -> {
          lockMeta(h);
          table.markerStatements().forEach(h::execute);
          List<String> duplicates = h.createQuery(table.duplicateKeysQuery())
              .map((rs, ctx) -> rs.getString(3) + " (" + rs.getString(1) + ", " + rs.getString(2) + ")")
              .list();
          if (duplicates.isEmpty()) {
            h.execute(table.keyIndexStatement());
            LOG.info("Created the key index {} of {}", table.keyIndex(), table.current());
          } else {
            LOG.warn("{} cannot get its key index {}: these active {}s share a key (parent, external_uid): {}."
                    + " Give all but one of each another external_uid, or delete them; the next open builds the index.",
                table.current(), table.keyIndex(), table.name(), duplicates);
          }
        });
      } catch (JdbiException e) {
        throw translate(e);
      } finally {
        writeLock.unlock();
      }
    }
  }

  private static boolean hasKeyIndex(Handle h, TypeTable table) {
    try {
      java.sql.Connection c = h.getConnection();
      try (java.sql.ResultSet rs = c.getMetaData().getIndexInfo(c.getCatalog(), c.getSchema(), table.current(),
          true, true)) {
        while (rs.next()) {
          if (table.keyIndex().equalsIgnoreCase(rs.getString("INDEX_NAME"))) {
            return true;
          }
        }
      }
      return false;
    } catch (SQLException e) {
      throw new StoreException("cannot read the indexes of " + table.current() + ": " + e.getMessage(), e);
    }
  }

  private record Meta(Instant lastTx, long typesVersion) {}

  private static Meta lockMeta(Handle h) {
    return h.createQuery("SELECT last_tx, types_version FROM vx_meta WHERE id = 1 FOR UPDATE")
        .map((rs, ctx) -> new Meta(TypeTable.instant(rs, "last_tx"), rs.getLong("types_version")))
        .one();
  }

  // ---- reads ----

  @Override
  public Answer<List<Resource>> read(List<String> identifiers, ReadOptions options) {
    WriteValidator.checkIdentifiers(identifiers, "identifiers");
    Objects.requireNonNull(options, "options");
    List<String> distinct = List.copyOf(new LinkedHashSet<>(identifiers));
    return answerInSnapshot(options.asOf(), s -> {
      Map<String, Resource> found = s.resources(distinct);
      Map<String, List<String>> children = options.excludeChildren() ? Map.of() : s.children(found.keySet());
      List<Resource> result = new ArrayList<>(found.size());
      for (String id : distinct) {
        Resource r = found.get(id);
        if (r != null) {
          result.add(options.excludeChildren() ? r : withChildren(r, children.getOrDefault(id, List.of())));
        }
      }
      return result;
    });
  }

  private static Resource withChildren(Resource r, List<String> children) {
    return new Resource(r.identifier(), r.parentIdentifier(), r.payloadType(), r.license(), r.accessLevel(),
        r.derivedFrom(), r.isDeleted(), r.version(), r.createdAt(), r.updatedAt(), r.payload(),
        Optional.of(children));
  }

  @Override
  public Answer<List<String>> parents(String identifier, AsOf asOf) {
    if (!Identifiers.isValid(identifier)) {
      throw ValidationException.of(identifier, Fields.IDENTIFIER, "%s", Identifiers.describeProblem(identifier));
    }
    return answerInSnapshot(asOf, s -> {
      Snapshot.Located at = s.locate(List.of(identifier)).get(identifier);
      if (at == null) {
        throw NotFoundException.of(identifier, "no active resource '%s' as of %s", identifier, s.at());
      }
      List<String> chain = new ArrayList<>();
      while (at.parentIdentifier() != null && chain.size() < MAX_DEPTH) {
        chain.add(at.parentIdentifier());
        at = s.locate(List.of(at.parentIdentifier())).get(at.parentIdentifier());
        if (at == null) {
          break;
        }
      }
      return chain;
    });
  }

  @Override
  public QueryPage query(QueryRequest request) {
    Catalog types = catalogFor(request);
    Queries.Prepared prepared = queries.prepare(request, types, true);
    return atLastCommitOrInSnapshot(prepared.readAt(), types, r -> queries.page(prepared, r)).value();
  }

  @Override
  public Instant scan(QueryRequest request, Consumer<? super Resource> sink) {
    Objects.requireNonNull(sink, "sink");
    Queries.Prepared prepared = queries.prepareScan(request, catalogFor(request));
    return inSnapshot(prepared.readAt(), s -> {
      queries.stream(prepared, s, sink);
      return s.at();
    });
  }

  @Override
  public Answer<Long> count(QueryRequest request) {
    Catalog types = catalogFor(request);
    Queries.Prepared prepared = queries.prepare(request, types, false);
    return atLastCommitOrInSnapshot(prepared.readAt(), types, r -> queries.count(prepared, r));
  }

  /**
   * Answers a read of one statement alone at the last commit when that answers it, else in a
   * snapshot at {@code asOf}. Alone it answers when the commit it read at is no later than
   * {@code asOf} (a later time pins the last commit, as {@link #inSnapshot} does) and the catalog is
   * the one the request was checked against. Most reads are at the last commit, and they then cost
   * one round trip instead of a transaction of four.
   */
  private <R> Answer<R> atLastCommitOrInSnapshot(Instant asOf, Catalog types,
      Function<Reading, Reading.Result<R>> statement) {
    Instant requested = asOf == null ? null : asOf.truncatedTo(ChronoUnit.MICROS);
    if (requested == null || !requested.isBefore(lastSeenCommit.get())) {
      Reading.Result<R> read = withHandle(h -> statement.apply(new Reading(h, types, Visibility.LAST_COMMIT)));
      sawCommit(read.at());
      if (read.typesVersion() == types.version() && (requested == null || !read.at().isAfter(requested))) {
        return new Answer<>(read.value(), read.at());
      }
    }
    return inSnapshot(requested, s -> new Answer<>(statement.apply(s.reading()).value(), s.at()));
  }

  private void sawCommit(Instant t) {
    lastSeenCommit.accumulateAndGet(t, (a, b) -> a.isAfter(b) ? a : b);
  }

  /** The catalog, refreshed if the request names a type this process has not seen (another may have registered it). */
  private Catalog catalogFor(QueryRequest request) {
    Objects.requireNonNull(request, "request");
    Catalog now = catalog;
    return request.payloadType() == null || now.table(request.payloadType()) != null ? now : refreshCatalog();
  }

  @Override
  public Answer<List<DatasourceStats>> datasourceStats(AsOf asOf) {
    return answerInSnapshot(asOf, s -> new Stats(s).summary());
  }

  @Override
  public Answer<List<DatasourceDetails>> datasourceDetails(String datasourceId, AsOf asOf) {
    if (datasourceId != null && !Identifiers.isValid(datasourceId)) {
      throw ValidationException.of(datasourceId, "datasource_id", "%s", Identifiers.describeProblem(datasourceId));
    }
    return answerInSnapshot(asOf, s -> new Stats(s).details(datasourceId));
  }

  @Override
  public Map<String, PayloadType> payloadTypes() {
    return catalog.types();
  }

  @Override
  public Map<String, String> schemas() {
    Map<String, String> schemas = new LinkedHashMap<>();
    catalog.types().forEach((name, type) -> schemas.put(name, type.responseSchema()));
    return schemas;
  }

  @Override
  public Instant lastCommitTime() {
    return withHandle(h -> readMeta(h).lastTx());
  }

  /** Answers {@code body} over a snapshot at {@code asOf}, with the time the snapshot reads at. */
  private <R> Answer<R> answerInSnapshot(AsOf asOf, Function<Snapshot, R> body) {
    return inSnapshot(asOf.instant().orElse(null), s -> new Answer<>(body.apply(s), s.at()));
  }

  /**
   * Runs {@code body} over a snapshot at {@code asOf}, or at the last commit time when it is null;
   * the catalog is refreshed first if another process registered a type.
   */
  private <R> R inSnapshot(Instant asOf, Function<Snapshot, R> body) {
    try {
      return dialect.inReadSnapshot(jdbi, h -> {
        Meta meta = readMeta(h);
        sawCommit(meta.lastTx());
        Catalog types = meta.typesVersion() == catalog.version() ? catalog : refreshCatalog(h);
        // A time after the last commit reads the latest state, and says so: a cursor pinned to a
        // future time would let later commits into a walk already under way.
        Instant requested = asOf == null ? meta.lastTx() : asOf.truncatedTo(ChronoUnit.MICROS);
        Instant at = requested.isAfter(meta.lastTx()) ? meta.lastTx() : requested;
        // At the last commit the current tables, read in this snapshot, are the answer.
        return body.apply(new Snapshot(h, types, Visibility.at(at, at.equals(meta.lastTx()))));
      });
    } catch (JdbiException e) {
      throw translate(e);
    }
  }

  private static Meta readMeta(Handle h) {
    return h.createQuery("SELECT last_tx, types_version FROM vx_meta WHERE id = 1")
        .map((rs, ctx) -> new Meta(TypeTable.instant(rs, "last_tx"), rs.getLong("types_version")))
        .one();
  }

  private <R> R withHandle(Function<Handle, R> body) {
    try {
      return jdbi.withHandle(body::apply);
    } catch (JdbiException e) {
      throw translate(e);
    }
  }

  // ---- catalog ----

  private Catalog refreshCatalog() {
    return withHandle(this::refreshCatalog);
  }

  private synchronized Catalog refreshCatalog(Handle h) {
    long version = readMeta(h).typesVersion();
    if (version == catalog.version()) {
      return catalog;
    }
    Map<String, TypeTable> tables = new LinkedHashMap<>();
    h.createQuery("SELECT name, schema_json FROM vx_type ORDER BY registered_at, name")
        .map((rs, ctx) -> storedType(rs.getString(1), rs.getString(2)))
        .forEach(t -> tables.put(t.name(), new TypeTable(t, dialect)));
    catalog = new Catalog(version, tables);
    return catalog;
  }

  /** A payload type as {@code vx_type} holds it; a schema there that no longer parses is the store's fault. */
  private static PayloadType storedType(String name, String schemaJson) {
    try {
      return PayloadType.fromJsonSchema(name, schemaJson);
    } catch (ValidationException e) {
      throw new StoreException("stored payload schema of '" + name + "' is not valid: " + e.getMessage(), e);
    }
  }

  /**
   * Whether two schema texts are the same JSON document, whatever the order of their keys: a type
   * registered again with its keys reordered is no change.
   */
  private static boolean sameDocument(String a, String b) {
    if (a.equals(b)) {
      return true;
    }
    try {
      return JSON.readTree(a).equals(JSON.readTree(b));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a payload type holds a schema that is not JSON", e);
    }
  }

  // ---- errors and lifecycle ----

  /** Turns a database failure into the core exception a caller can act on; never leaks SQLException. */
  static VxDataException translate(JdbiException e) {
    Throwable cause = e.getCause();
    if (cause instanceof SQLException sql && sql.getSQLState() != null) {
      String state = sql.getSQLState();
      if (state.startsWith("23")) {
        return new ValidationException("the write conflicts with stored data: %s", sql.getMessage());
      }
      // The last resort for input the validators let through: a value the database cannot take
      // (class 22, data exception) or a request past one of its limits (class 54) is the client's
      // fault, not the server's. Logged, since each one is a missing check to add before SQL.
      if (state.startsWith("22") || state.startsWith("54")) {
        LOG.warn("The database rejected input that validation accepted (SQLState {})", state, e);
        return new ValidationException("the database rejected a value of the request: %s", clientMessage(sql));
      }
      if ("HYT00".equals(state) || "55P03".equals(state) || "40001".equals(state) || "40P01".equals(state)) {
        return new StoreException("the store is busy; retry the request (" + sql.getMessage() + ")", e);
      }
    }
    return new StoreException("database error: " + rootMessage(e), e);
  }

  /** H2's error code for a database file locked by another process. */
  private static final int H2_DATABASE_IN_USE = 90020;

  private static boolean hasErrorCode(Throwable e, int code) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof SQLException sql && sql.getErrorCode() == code) {
        return true;
      }
    }
    return false;
  }

  /** The database's message without the SQL statement H2 appends, which would show our schema. */
  private static String clientMessage(SQLException sql) {
    String message = String.valueOf(sql.getMessage());
    int statement = message.indexOf("; SQL statement:");
    String text = statement < 0 ? message : message.substring(0, statement);
    int newline = text.indexOf('\n');
    return newline < 0 ? text : text.substring(0, newline);
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage();
  }

  @Override
  public void close() {
    dataSource.close();
  }
}
