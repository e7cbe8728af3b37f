package io.vxdata.jdbc.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.vxdata.Answer;
import io.vxdata.AsOf;
import io.vxdata.Cascade;
import io.vxdata.ChangesPage;
import io.vxdata.ChangesRequest;
import io.vxdata.DatasourceDetails;
import io.vxdata.DeleteWhere;
import io.vxdata.DatasourceStats;
import io.vxdata.Fields;
import io.vxdata.HistoryPage;
import io.vxdata.HistoryRequest;
import io.vxdata.ForbiddenException;
import io.vxdata.UnauthenticatedException;
import io.vxdata.access.Access;
import io.vxdata.NewResource;
import io.vxdata.ReadOptions;
import io.vxdata.PatientRegistration;
import io.vxdata.Registration;
import io.vxdata.RegistrationBatch;
import io.vxdata.StudyRegistration;
import io.vxdata.Resource;
import io.vxdata.ResourceUpdate;
import io.vxdata.StoreException;
import io.vxdata.UpdateWhere;
import io.vxdata.ValidationException;
import io.vxdata.VxData;
import io.vxdata.VxDataException;
import io.vxdata.WriteResult;
import io.vxdata.jdbc.StoreOptions;
import io.vxdata.query.QueryPage;
import io.vxdata.query.QueryRequest;
import io.vxdata.relation.RelationType;
import io.vxdata.relation.Relations;
import io.vxdata.release.Releases;
import io.vxdata.schema.BuiltInTypes;
import io.vxdata.schema.PayloadType;
import io.vxdata.spi.Identifiers;
import io.vxdata.spi.Limits;
import io.vxdata.spi.WriteValidator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.concurrent.TimeUnit;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.ColonPrefixSqlParser;
import org.jdbi.v3.core.statement.SqlLogger;
import org.jdbi.v3.core.statement.SqlParser;
import org.jdbi.v3.core.statement.SqlStatements;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link VxData} of the JDBC store. Obtain one from {@link io.vxdata.jdbc.VxDataStore}.
 *
 * <p>A facade: it checks arguments and hands each call to the part that does it. {@link Transactions}
 * runs every statement (and orders writers), {@link WriteTransaction} plans and writes changes,
 * {@link Snapshot} and {@link Queries} read, {@link Registrations} registers patients and studies,
 * {@link TypeRegistry} payload types; {@link SqlErrors} translates database failures.
 */
public final class JdbcVxData implements VxData {

  private static final Logger LOG = LoggerFactory.getLogger(JdbcVxData.class);
  /**
   * One parser, and so one cache of parsed statements, for every store in the process: Jdbi's own is
   * per {@code Jdbi}, so each store opened parsed its statements again, which was most of the CPU of
   * opening a store (it matters where many are opened, as in the test suites). A parsed statement
   * depends only on its text, and the cache is thread-safe.
   */
  private static final SqlParser SQL_PARSER = new ColonPrefixSqlParser();
  /** Connections the pool keeps open while idle. */
  private static final int MINIMUM_IDLE_CONNECTIONS = 2;

  private final HikariDataSource dataSource;
  private final Transactions transactions;
  private final TypeRegistry types;
  private final Catalogs catalogs;
  private final Registrations registrations;
  private final BulkWrites bulk;
  private final Queries queries;
  private final Cursors cursors;
  private final JdbcReleases releases;
  private final java.time.Clock clock;
  /** Who this handle acts for: {@link Caller#SYSTEM} for the handle {@link #open} returns. */
  private final Caller caller;

  /** A principal's view of {@code system} (docs/behaviour.md §13): the same store, {@code caller}'s rights. */
  private JdbcVxData(JdbcVxData system, Caller caller) {
    this.dataSource = system.dataSource;
    this.transactions = system.transactions;
    this.types = system.types;
    this.catalogs = system.catalogs;
    this.registrations = system.registrations;
    this.bulk = system.bulk;
    this.queries = system.queries;
    this.cursors = system.cursors;
    this.releases = system.releases.as(caller);
    this.clock = system.clock;
    this.caller = caller;
  }

  private JdbcVxData(HikariDataSource dataSource, Dialect dialect, StoreOptions options) {
    this.caller = Caller.SYSTEM;
    this.clock = options.clock();
    this.dataSource = dataSource;
    Catalogs catalogs = new Catalogs(dialect);
    Jdbi jdbi = Jdbi.create(dataSource);
    jdbi.getConfig(SqlStatements.class).setSqlParser(SQL_PARSER);
    this.transactions = new Transactions(jdbi, dialect, options.clock(), catalogs);
    this.catalogs = catalogs;
    this.types = new TypeRegistry(transactions, catalogs, dialect, options.clock());
    this.registrations = new Registrations(transactions, catalogs);
    this.bulk = new BulkWrites(dialect);
    // The migration created the secret; every process on this database signs cursors with it.
    String secret = transactions.withHandle(h -> h.createQuery("SELECT cursor_secret FROM vx_meta WHERE id = 1")
        .mapTo(String.class).one());
    this.cursors = new Cursors(secret);
    this.queries = new Queries(dialect, cursors);
    this.releases = new JdbcReleases(transactions, cursors);
  }

  /** Connects, migrates the database, and registers or evolves the built-in payload types. */
  public static JdbcVxData open(StoreOptions options) {
    Dialect dialect = Dialect.of(options.jdbcUrl());
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(dialect.normalizeUrl(options.jdbcUrl()));
    config.setUsername(options.user());
    config.setPassword(options.password());
    config.setMaximumPoolSize(options.maxPoolSize());
    // Connections are opened as work needs them and closed after ten idle minutes, rather than the
    // whole pool at open: a pipeline or test suite that opens many short-lived stores would
    // otherwise make the database start ten sessions for each.
    config.setMinimumIdle(Math.min(MINIMUM_IDLE_CONNECTIONS, options.maxPoolSize()));
    config.setPoolName("vxdata");
    config.setConnectionInitSql(dialect.connectionInitSql());
    if (options.poolMetrics() != null) {
      config.setMetricsTrackerFactory(options.poolMetrics());
    }
    HikariDataSource dataSource;
    try {
      dataSource = new HikariDataSource(config);
    } catch (RuntimeException e) {
      throw SqlErrors.cannotConnect(options.jdbcUrl(), dialect, e);
    }
    try {
      Migrations.migrate(dataSource, dialect);
      JdbcVxData store = new JdbcVxData(dataSource, dialect, options);
      store.types.registerBuiltIns(BuiltInTypes.all());
      RelationType memberOf = BuiltInTypes.MEMBER_OF_RELATION;
      if (!memberOf.equals(store.catalogs.current().relation(memberOf.name()))) {
        JdbcRelations.register(store.transactions, store.catalogs, null, memberOf);
      }
      store.types.ensureIndexes();
      LOG.info("VxData store open on {} ({} payload types)", options.jdbcUrl(), store.types.types().size());
      return store;
    } catch (RuntimeException e) {
      dataSource.close();
      throw e instanceof VxDataException v ? v
          : new StoreException("cannot open the store at " + options.jdbcUrl() + ": " + SqlErrors.rootMessage(e), e);
    }
  }

  // ---- writes ----

  @Override
  public WriteResult create(List<NewResource> resources) {
    Objects.requireNonNull(resources, "resources");
    return counted(transactions.write(now(), "create", w -> resources.isEmpty() ? 0 : w.create(resources)));
  }

  @Override
  public WriteResult update(Map<String, ResourceUpdate> updates) {
    Objects.requireNonNull(updates, "updates");
    WriteValidator.checkBatch(updates.size(), "updates");
    return counted(transactions.write(now(), "update", w -> updates.isEmpty() ? 0 : w.update(updates)));
  }

  @Override
  public WriteResult delete(List<String> identifiers, Cascade cascade) {
    Objects.requireNonNull(cascade, "cascade");
    WriteValidator.checkIdentifiers(identifiers, "identifiers");
    return counted(transactions.write(now(), "delete",
        w -> identifiers.isEmpty() ? 0 : w.delete(identifiers, cascade)));
  }

  @Override
  public WriteResult restore(List<String> identifiers) {
    WriteValidator.checkIdentifiers(identifiers, "identifiers");
    return counted(transactions.write(now(), "restore", w -> identifiers.isEmpty() ? 0 : w.restore(identifiers)));
  }

  @Override
  public WriteResult updateWhere(UpdateWhere request) {
    Objects.requireNonNull(request, "request");
    return counted(transactions.write(now(), "update_where", w -> bulk.updateWhere(w, request)));
  }

  @Override
  public WriteResult deleteWhere(DeleteWhere request) {
    Objects.requireNonNull(request, "request");
    return counted(transactions.write(now(), "delete_where", w -> bulk.deleteWhere(w, request)));
  }

  private static WriteResult counted(Transactions.Committed<Integer> c) {
    return new WriteResult(c.value(), c.at());
  }

  @Override
  public Registration registerPatient(String datasourceId, String externalUid) {
    return registrations.registerPatient(now(), datasourceId, externalUid);
  }

  @Override
  public String resolvePatient(String datasourceId, String externalUid) {
    return registrations.resolvePatient(now(), datasourceId, externalUid);
  }

  @Override
  public Registration registerStudy(String patientIdentifier, String externalUid) {
    return registrations.registerStudy(now(), patientIdentifier, externalUid);
  }

  @Override
  public RegistrationBatch registerPatients(List<PatientRegistration> patients) {
    return registrations.registerPatients(now(), patients);
  }

  @Override
  public RegistrationBatch registerStudies(List<StudyRegistration> studies) {
    return registrations.registerStudies(now(), studies);
  }

  @Override
  public String resolveStudy(String patientIdentifier, String externalUid) {
    return registrations.resolveStudy(now(), patientIdentifier, externalUid);
  }

  @Override
  public void registerType(PayloadType type) {
    if (!caller.system() && !transactions.withHandle(h -> Rights.load(h, caller)).admin()) {
      throw new ForbiddenException("registering a payload type needs an admin; principal '%s' is not one",
          caller.principalId());
    }
    types.register(caller, type);
  }

  // ---- reads ----

  @Override
  public Answer<List<Resource>> read(List<String> identifiers, ReadOptions options) {
    WriteValidator.checkIdentifiers(identifiers, "identifiers");
    Objects.requireNonNull(options, "options");
    List<String> distinct = List.copyOf(new LinkedHashSet<>(identifiers));
    return transactions.answerByKeys(at(options.asOf()), now(), s -> s.read(distinct, options.excludeChildren(),
        options.includePermissions(), options.includeLinks()));
  }

  @Override
  public Answer<List<String>> parents(String identifier, AsOf asOf) {
    checkIdentifier(identifier, Fields.IDENTIFIER);
    return transactions.answerByKeys(at(asOf), now(), s -> s.ancestors(identifier));
  }

  @Override
  public QueryPage query(QueryRequest request) {
    request = at(request);
    Catalog catalog = types.forRequest(request);
    Queries.Prepared prepared = queries.prepare(request, catalog, true);
    return transactions.atLastCommitOrInSnapshot(prepared.readAt(), catalog, now(), r -> queries.page(prepared, r)).value();
  }

  @Override
  public Instant scan(QueryRequest request, Consumer<? super Resource> sink) {
    Objects.requireNonNull(sink, "sink");
    request = at(request);
    Queries.Prepared prepared = queries.prepareScan(request, types.forRequest(request));
    return transactions.inSnapshot(prepared.readAt(), now(), s -> {
      queries.stream(prepared, s, sink);
      return s.at();
    });
  }

  @Override
  public Answer<Long> count(QueryRequest request) {
    request = at(request);
    Catalog catalog = types.forRequest(request);
    Queries.Prepared prepared = queries.prepare(request, catalog, false);
    return transactions.atLastCommitOrInSnapshot(prepared.readAt(), catalog, now(), r -> queries.count(prepared, r));
  }

  @Override
  public HistoryPage history(String identifier, HistoryRequest request) {
    checkIdentifier(identifier, Fields.IDENTIFIER);
    Objects.requireNonNull(request, "request");
    int limit = Limits.pageSize(request.limit());
    Instant readAt = at(request.asOf()).instant().orElse(null);
    History.Before before = null;
    if (request.cursor() != null) {
      Cursors.Position position = cursors.decodeMixed(request.cursor(), History.fingerprint(identifier),
          History.Before.KEY_SIZES);
      readAt = position.pinnedAt();
      before = History.Before.of(position.lastKey());
    }
    History.Before after = before;
    // Each of History's statements reads versions by their time: no snapshot needed.
    return transactions.atFixedTime(readAt, now(), s -> new History(s).page(identifier, after, limit, cursors));
  }

  /** How often a long-poll of the change feed looks at the last commit time, for commits of other processes. */
  private static final long POLL_MILLIS = 250;

  @Override
  public ChangesPage changes(ChangesRequest request) {
    Objects.requireNonNull(request, "request");
    int limit = Limits.pageSize(request.limit());
    Duration wait = request.maxWait() == null ? Duration.ZERO : request.maxWait();
    if (wait.isNegative() || wait.compareTo(ChangesRequest.MAX_WAIT) > 0) {
      throw ValidationException.of(null, "wait", "must be between 0 and %d seconds, not %s",
          ChangesRequest.MAX_WAIT.toSeconds(), wait);
    }
    if (request.datasourceId() != null) {
      checkIdentifier(request.datasourceId(), "datasource_id");
    }
    Changes.Position after = Changes.position(request.since());
    Caller who = now();
    ChangesPage page = changesPage(who, after, limit, request);
    if (!page.changes().isEmpty() || wait.isZero()) {
      return page;
    }
    // Nothing yet: wait for a commit. This process's commits wake the wait at once; another
    // process's are seen at the next look at the last commit time.
    long deadline = System.nanoTime() + wait.toNanos();
    CommitSignal commits = transactions.commits();
    while (true) {
      long seen = commits.generation();
      if (transactions.lastCommitTime().isAfter(page.asOf())) {
        page = changesPage(who, after, limit, request);
        if (!page.changes().isEmpty()) {
          return page;
        }
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return page;
      }
      try {
        commits.await(seen, Math.min(TimeUnit.NANOSECONDS.toMillis(left) + 1, POLL_MILLIS));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return page;
      }
    }
  }

  private ChangesPage changesPage(Caller who, Changes.Position after, int limit, ChangesRequest request) {
    return transactions.inSnapshot(null, who, s -> changes(s).page(after, limit, changeTables(s, request),
        request.datasourceId()));
  }

  /** The plan of the statement of the page {@code request} asks for, for tests (see {@link Changes#explain}). */
  String explainChangesForTest(ChangesRequest request) {
    return transactions.inSnapshot(null, now(), s -> changes(s).explain(Changes.position(request.since()),
        Limits.pageSize(request.limit()), changeTables(s, request), request.datasourceId()));
  }

  private Changes changes(Snapshot s) {
    return new Changes(s, transactions.dialect());
  }

  /** The tables of the payload types a request of the change feed names (all when none). */
  private static List<TypeTable> changeTables(Snapshot s, ChangesRequest request) {
    List<TypeTable> tables = new ArrayList<>();
    if (request.payloadTypes().isEmpty()) {
      tables.addAll(s.catalog().tables().values());
    }
    for (String name : new LinkedHashSet<>(request.payloadTypes())) {
      TypeTable table = name == null ? null : s.catalog().table(name);
      if (table == null) {
        throw ValidationException.of(null, "payload_type", "unknown payload type '%s'", name);
      }
      tables.add(table);
    }
    return tables;
  }


  /** {@link #changes} waits on this: for tests that must know a poller waits before they commit. */
  int waitingForCommits() {
    return transactions.commits().waiting();
  }

  @Override
  public Answer<List<DatasourceStats>> datasourceStats(AsOf asOf) {
    return transactions.answerInSnapshot(at(asOf), now(), s -> new Stats(s).summary());
  }

  @Override
  public Answer<List<DatasourceDetails>> datasourceDetails(String datasourceId, AsOf asOf) {
    if (datasourceId != null) {
      checkIdentifier(datasourceId, "datasource_id");
    }
    return transactions.answerInSnapshot(at(asOf), now(), s -> new Stats(s).details(datasourceId));
  }

  /**
   * The time a read asks for, with a release replaced by its time (docs/behaviour.md §14.4). Every
   * read passes its {@link AsOf} through here, so that nothing below sees a release.
   */
  private AsOf at(AsOf asOf) {
    return releases.resolve(Objects.requireNonNull(asOf, "asOf"));
  }

  private QueryRequest at(QueryRequest request) {
    Objects.requireNonNull(request, "request");
    return request.asOf().release().isPresent() ? request.toBuilder().asOf(at(request.asOf())).build() : request;
  }

  private static void checkIdentifier(String identifier, String field) {
    if (!Identifiers.isValid(identifier)) {
      throw ValidationException.of(identifier, field, "%s", Identifiers.describeProblem(identifier));
    }
  }

  @Override
  public Map<String, PayloadType> payloadTypes() {
    return types.types();
  }

  @Override
  public Map<String, String> schemas() {
    return types.schemas();
  }

  @Override
  public Instant lastCommitTime() {
    return transactions.lastCommitTime();
  }

  // ---- access (docs/behaviour.md §13) ----

  @Override
  public VxData as(String principalId, String requestId) {
    if (!caller.system()) {
      throw new ForbiddenException("only the system handle acts for other principals; this is principal '%s'",
          caller.principalId());
    }
    Objects.requireNonNull(principalId, "principalId");
    if (requestId != null && (requestId.isEmpty() || requestId.length() > 255)) {
      throw ValidationException.of(null, "request_id", "must be 1 to 255 characters");
    }
    return new JdbcVxData(this, resolve(new Caller(principalId, Caller.Kind.PRINCIPAL, requestId)));
  }

  /**
   * The caller of this call as the database says now (docs/behaviour.md §13.2): for a principal's view, one small
   * indexed query per call reads whether it is still an enabled principal and whether it is an admin, so
   * a demotion, promotion or disabling applies to the next call in every process. (Grants and clearance
   * are read by every statement itself, see {@link Visibility}.)
   *
   * @throws UnauthenticatedException if the principal is gone or disabled
   */
  private Caller now() {
    return caller.system() ? caller : resolve(caller);
  }

  private Caller resolve(Caller who) {
    Boolean admin = transactions.withHandle(h -> h.createQuery(
            "SELECT is_admin FROM vx_principal WHERE id = ? AND NOT disabled")
        .bind(0, Sql.text(who.principalId())).mapTo(Boolean.class).findOne().orElse(null));
    if (admin == null) {
      throw new UnauthenticatedException("no enabled principal '" + who.principalId() + "'");
    }
    return new Caller(who.principalId(), admin ? Caller.Kind.ADMIN : Caller.Kind.PRINCIPAL, who.requestId());
  }

  @Override
  public Access access() {
    return new JdbcAccess(transactions, caller, clock);
  }

  @Override
  public Relations relations() {
    return new JdbcRelations(transactions, catalogs, this::now);
  }

  @Override
  public Releases releases() {
    return releases;
  }

  /**
   * The plan of one statement, as the database explains it: for tests of index use. On PostgreSQL,
   * with sequential scans disabled, so that a test's tiny tables show the index the planner would
   * choose on large ones.
   */
  String explainForTest(String sql) {
    return transactions.inTransaction(h -> {
      if (transactions.dialect() == Dialect.POSTGRESQL) {
        h.execute("SET LOCAL enable_seqscan = off");
      }
      return String.join("\n", h.createQuery("EXPLAIN " + sql).mapTo(String.class).list());
    });
  }

  /** Hands every statement this store runs from now on to {@code logger}, for tests that count them. */
  void logStatementsForTest(SqlLogger logger) {
    transactions.logStatementsForTest(logger);
  }

  /**
   * The table of export jobs in this store's database, for {@code vxdata-exports}
   * ({@link io.vxdata.jdbc.VxDataStore#exportJobs}); only the system handle gives it out.
   *
   * @throws IllegalStateException on a principal's view
   */
  public ExportJobTable exportJobs() {
    if (!caller.system()) {
      throw new IllegalStateException("only the system handle gives out the export job table");
    }
    return new ExportJobTable(transactions, cursors);
  }

  /** Closes the store; on a principal's view, does nothing (the store belongs to the system handle). */
  @Override
  public void close() {
    if (caller.system()) {
      dataSource.close();
    }
  }
}
