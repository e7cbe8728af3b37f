package io.vxdata.http;

import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.vxdata.ForbiddenException;
import io.vxdata.NotFoundException;
import io.vxdata.UnauthenticatedException;
import io.vxdata.ValidationException;
import io.vxdata.VxData;
import io.vxdata.exports.ExportQueueFullException;
import io.vxdata.exports.Exports;
import io.vxdata.json.Json;
import io.vxdata.json.MalformedJsonException;
import io.vxdata.s3.ObjectStorage;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.component.LifeCycle;

/**
 * The VxData HTTP API (docs/behaviour.md §11) over a {@link VxData}: the routes of the API surface, with the
 * object storage routes when an {@link ObjectStorage} is given, plus {@code GET /health},
 * {@code GET /openapi.json} and the docs page {@code GET /docs} ({@code GET /} redirects there), and the
 * access administration routes (docs/behaviour.md §13). Every other route needs a bearer token
 * ({@link Authentication}) and runs through the caller's view {@code vx.as(principal, requestId)}.
 * Handlers only parse, call that view and write; every rule lives behind the {@link VxData} interface.
 *
 * <p>Every read ({@code /resources/read}, {@code /query}, {@code /query/count},
 * {@code /parents/{identifier}}, {@code /datasources/*}) answers with the {@value #AS_OF_HEADER}
 * header: the transaction time it read at, as the store's answer states it ({@link io.vxdata.Answer},
 * {@link io.vxdata.query.QueryPage#asOf()}); a Parquet export states the time its check read at,
 * which its rows are then read at.
 *
 * <pre>{@code
 * try (VxData vx = VxDataStore.open(url);
 *      VxDataServer server = VxDataServer.start(vx, ServerOptions.defaults().withPort(0))) {
 *   URI base = server.uri();
 * }
 * }</pre>
 */
public final class VxDataServer implements AutoCloseable {

  /** The response header stating the transaction time a read was made at ({@link Json#AS_OF_HEADER}). */
  public static final String AS_OF_HEADER = Json.AS_OF_HEADER;

  private final Javalin app;
  private final ServerOptions options;

  private VxDataServer(Javalin app, ServerOptions options) {
    this.app = app;
    this.options = options;
  }

  /**
   * Starts serving {@code vx}. The store stays owned by the caller: {@link #close()} stops the server
   * but does not close the store.
   *
   * @throws IllegalStateException if the port cannot be bound
   */
  public static VxDataServer start(VxData vx, ServerOptions options) {
    return start(vx, null, options);
  }

  /**
   * Starts serving {@code vx}, and with {@code storage} the object storage routes {@code /s3/*}
   * (without it they answer 404). Store and storage stay owned by the caller.
   *
   * @throws IllegalStateException if the port cannot be bound
   */
  public static VxDataServer start(VxData vx, ObjectStorage storage, ServerOptions options) {
    return start(vx, storage, null, options);
  }

  /**
   * Starts serving {@code vx}, with {@code storage} the object storage routes, and with {@code exports}
   * (over the same store and storage) the export job routes {@code /exports} (docs/behaviour.md §14.5;
   * without it they answer 404). Store, storage and exports stay owned by the caller.
   *
   * @throws IllegalStateException if the port cannot be bound
   */
  public static VxDataServer start(VxData vx, ObjectStorage storage, Exports exports, ServerOptions options) {
    Objects.requireNonNull(vx, "vx");
    Objects.requireNonNull(options, "options");
    Javalin app = Javalin.create(config -> configure(config, vx, storage, exports, options));
    try {
      app.start(options.host(), options.port());
    } catch (RuntimeException e) {
      throw new IllegalStateException("cannot listen on " + options.host() + ":" + options.port() + ": "
          + e.getMessage(), e);
    }
    return new VxDataServer(app, options);
  }

  private static void configure(JavalinConfig config, VxData vx, ObjectStorage storage, Exports exports,
      ServerOptions options) {
    config.startup.showJavalinBanner = false;
    config.startup.showOldJavalinVersionWarning = false;
    config.http.maxRequestSize = options.maxBodyBytes();
    config.http.prefer405over404 = true;
    config.http.defaultContentType = HttpIo.JSON;
    config.appData(MAX_BODY, options.maxBodyBytes());
    config.jetty.modifyServer(server -> gracefulStop(server, options.idleTimeoutOnStop()));
    if (options.tls() != null) {
      // Read now, so that a bad file fails the start with its name; served in place of the plain connector.
      Tls.keyStore(options.tls().certificate(), options.tls().privateKey());
      config.jetty.addConnector((server, http) -> Tls.connector(server, http, options.tls(), options.host(),
          options.port()));
    }
    // Errors Jetty answers itself (bad URI, 414, 431, bad headers) get the same JSON body as ours.
    config.jetty.modifyServer(server -> server.setErrorHandler(new JsonErrorHandler()));
    // Request ids, CORS, the request log and metrics: before the routes; then the caller.
    Operations.install(config, options);
    Authenticator authenticator = new Authenticator(vx, options.authentication());
    config.routes.before(authenticator::before);
    routes(config.routes, vx, storage, exports, options.metrics() != null, authenticator);
  }

  /** How long {@link #close()} lets in-flight requests run before it stops anyway. */
  public static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

  /**
   * Makes Jetty's stop graceful: a {@link GracefulHandler} in front of Javalin's handler, inserted
   * as the server starts (after Javalin has set its handler and connectors), and a stop timeout.
   * Without them Jetty cuts in-flight requests off. Once the stop begins, connections idle for
   * {@code idleTimeoutOnStop} are closed (see {@link ServerOptions#idleTimeoutOnStop()}).
   */
  private static void gracefulStop(Server server, Duration idleTimeoutOnStop) {
    server.setStopTimeout(STOP_TIMEOUT.toMillis());
    server.addEventListener(new LifeCycle.Listener() {
      @Override
      public void lifeCycleStarting(LifeCycle event) {
        if (server.getDescendant(GracefulHandler.class) == null) {
          server.insertHandler(new GracefulHandler());
        }
        for (Connector connector : server.getConnectors()) {
          if (connector instanceof AbstractConnector c) {
            c.setShutdownIdleTimeout(idleTimeoutOnStop.toMillis());
          }
        }
      }
    });
  }

  /** Every route and the exception table, in one place. */
  private static void routes(RoutesConfig r, VxData vx, ObjectStorage storage, Exports exports, boolean metrics,
      Authenticator authenticator) {
    ResourceController resources = new ResourceController();
    QueryController queries = new QueryController();
    ExportController parquet = new ExportController();
    RegistrationController registrations = new RegistrationController();
    StatsController stats = new StatsController();
    AccessController access = new AccessController(authenticator);
    SchemaController schemas = new SchemaController(vx, storage != null, exports != null, metrics);
    DocsPage docs = new DocsPage();
    ChangesController changes = new ChangesController();

    r.post("/resources/create", resources::create);
    r.post("/resources/read", resources::read);
    r.post("/resources/update", resources::update);
    r.post("/resources/delete", resources::delete);
    r.post("/resources/restore", resources::restore);
    r.post("/resources/update-where", resources::updateWhere);
    r.post("/resources/delete-where", resources::deleteWhere);
    r.get("/resources/{identifier}/history", Caching.readAt(resources::history));
    r.get("/changes", changes::changes);
    r.post("/query", queries::query);
    r.post("/query/count", queries::count);
    r.post("/query/parquet", parquet::parquet);
    r.get("/resources/{identifier}", Caching.readAt(resources::readOne));
    r.get("/query", Caching.readAt(queries::queryGet));
    r.get("/query/count", Caching.readAt(queries::countGet));
    r.get("/query/parquet", parquet::parquetGet);
    r.head("/query/parquet", parquet::parquetHead);
    r.get("/parents/{identifier}", Caching.readAt(resources::parents));
    r.post("/patients/register", registrations::registerPatient);
    r.post("/patients/resolve", registrations::resolvePatient);
    r.post("/studies/register", registrations::registerStudy);
    r.post("/studies/resolve", registrations::resolveStudy);
    r.get("/datasources/stats", Caching.readAt(stats::stats));
    r.get("/datasources/detailed-stats", Caching.readAt(stats::detailedStats));
    r.get("/schemas", Caching.revalidated(schemas::schemas));
    r.put("/schemas/{name}", schemas::putSchema);
    r.get("/openapi.json", Caching.revalidated(schemas::openApi));
    r.get("/health", schemas::health);
    r.get("/whoami", access::whoami);
    r.post("/principals", access::createPrincipal);
    r.get("/principals", access::principals);
    r.patch("/principals/{id}", access::updatePrincipal);
    r.post("/principals/{id}/tokens", access::issueToken);
    r.get("/principals/{id}/tokens", access::tokens);
    r.delete("/tokens/{id}", access::revokeToken);
    r.get("/datasources/{id}/grants", access::grants);
    r.put("/datasources/{id}/grants", access::grant);
    r.delete("/datasources/{id}/grants", access::revokeGrant);
    r.get("/transactions", access::transactions);
    RelationController relations = new RelationController();
    r.post("/relations", relations::register);
    r.get("/relations", relations::list);
    r.post("/links/attach", relations::attach);
    r.post("/links/detach", relations::detach);
    ReleaseController releases = new ReleaseController();
    r.post("/releases", releases::create);
    r.get("/releases", releases::list);
    r.get("/releases/{name}", releases::get);
    r.get("/", docs::root);
    r.get(DocsPage.PATH, docs::page);
    r.get(DocsPage.PATH + "/{file}", docs::asset);
    if (storage != null) {
      ObjectStorageController objects = new ObjectStorageController(storage);
      r.get("/s3/config", objects::config);
      r.post("/s3/presign", ObjectStorageController.adminOnly(objects::presign));
      r.post("/s3/presign/batch", ObjectStorageController.adminOnly(objects::presignBatch));
      r.post("/s3/presign/upload-dir", ObjectStorageController.adminOnly(objects::presignUploadDirectory));
      r.get("/s3/list", ObjectStorageController.adminOnly(objects::list));
      r.get("/s3/parquet", ObjectStorageController.adminOnly(objects::parquet));
    }
    if (exports != null) {
      ExportJobController jobs = new ExportJobController(exports);
      r.post("/exports", jobs::submit);
      r.get("/exports", jobs::list);
      r.get("/exports/{id}", jobs::status);
      r.head("/exports/{id}", jobs::head);
      r.delete("/exports/{id}", jobs::delete);
    }

    r.exception(ValidationException.class, ErrorMapping::validation);
    r.exception(ExportQueueFullException.class, ErrorMapping::queueFull);
    r.exception(NotFoundException.class, ErrorMapping::notFound);
    r.exception(UnauthenticatedException.class, ErrorMapping::unauthenticated);
    r.exception(ForbiddenException.class, ErrorMapping::forbidden);
    r.exception(MalformedJsonException.class, ErrorMapping::malformedJson);
    r.exception(HttpResponseException.class, ErrorMapping::http);
    r.exception(Exception.class, ErrorMapping::unexpected);
  }

  private static final io.javalin.config.Key<Long> MAX_BODY = new io.javalin.config.Key<>("vxdata-max-body");

  static long maxBody(Context ctx) {
    return ctx.appData(MAX_BODY);
  }

  /** The port the server listens on (the chosen one when started on port 0). */
  public int port() {
    return app.port();
  }

  /** The base URI for clients on this machine, e.g. {@code http://127.0.0.1:8080} ({@code https://} with TLS). */
  public URI uri() {
    String host = options.host().equals("0.0.0.0") || options.host().equals("::") ? "127.0.0.1" : options.host();
    return URI.create((options.tls() == null ? "http://" : "https://") + (host.contains(":") ? "[" + host + "]" : host)
        + ":" + port());
  }

  /** The options the server was started with. */
  public ServerOptions options() {
    return options;
  }

  /** Stops accepting connections, lets in-flight requests finish, and stops. The store stays open. */
  @Override
  public void close() {
    app.stop();
  }
}
