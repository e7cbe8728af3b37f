package io.vxdata.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vxdata.Answer;
import io.vxdata.AsOf;
import io.vxdata.DatasourceDetails;
import io.vxdata.DatasourceStats;
import io.vxdata.ForbiddenException;
import io.vxdata.UnauthenticatedException;
import io.vxdata.access.Access;
import io.vxdata.access.Grant;
import io.vxdata.access.IssuedToken;
import io.vxdata.access.Principal;
import io.vxdata.access.PrincipalUpdate;
import io.vxdata.access.TokenInfo;
import io.vxdata.access.Transaction;
import io.vxdata.json.AccessJson;
import io.vxdata.Fields;
import io.vxdata.NewResource;
import io.vxdata.NotFoundException;
import io.vxdata.ReadOptions;
import io.vxdata.PatientRegistration;
import io.vxdata.Registration;
import io.vxdata.RegistrationBatch;
import io.vxdata.StudyRegistration;
import io.vxdata.Resource;
import io.vxdata.ResourceUpdate;
import io.vxdata.StoreException;
import io.vxdata.ValidationException;
import io.vxdata.VxData;
import io.vxdata.WriteResult;
import io.vxdata.HistoryPage;
import io.vxdata.HistoryRequest;
import io.vxdata.json.HistoryJson;
import io.vxdata.json.ErrorJson;
import io.vxdata.json.Json;
import io.vxdata.json.RelationJson;
import io.vxdata.json.ReleaseJson;
import io.vxdata.relation.Link;
import io.vxdata.relation.RelationType;
import io.vxdata.relation.Relations;
import io.vxdata.release.Release;
import io.vxdata.release.ReleasePage;
import io.vxdata.release.Releases;
import io.vxdata.spi.ReleaseNames;
import io.vxdata.json.MalformedJsonException;
import io.vxdata.json.QueryJson;
import io.vxdata.json.RequestJson;
import io.vxdata.json.ResourceJson;
import io.vxdata.json.StatsJson;
import io.vxdata.query.QueryPage;
import io.vxdata.query.QueryRequest;
import io.vxdata.schema.PayloadType;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.TreeMap;

/**
 * The {@link VxData} interface over HTTP: the Java SDK for a VxData server, with the same semantics as
 * the in-process store (the conformance kit runs through it).
 *
 * <pre>{@code
 * try (VxData vx = VxDataClient.builder(URI.create("http://localhost:8080")).build()) {
 *   vx.create(List.of(NewResource.builder("datasource", "clinic-a").set("name", "Clinic A").build()));
 * }
 * }</pre>
 *
 * <p><b>Default {@code as_of}.</b> A client built with {@link Builder#defaultAsOf(AsOf)} reads
 * every read ({@code read}, {@code query}, {@code count}, {@code parents}, {@code history}, the stats) at
 * that time
 * unless the call names its own {@code as_of} (docs/behaviour.md §4). Writes are unaffected.
 *
 * <p><b>Tokens.</b> {@link Builder#token(String)} sends {@code Authorization: Bearer <token>} with every
 * request; the client then sees and changes what the token's principal may (docs/behaviour.md §13).
 * {@link #as(String, String)} makes a client of another principal (issuing it a token, which needs an
 * admin); {@link #access()} administers principals, tokens and grants over the admin routes.
 *
 * <p><b>Errors.</b> HTTP 400 becomes {@link ValidationException} and 404 {@link NotFoundException},
 * with the server's violations; 413 (body too large) a {@link ValidationException}; 401
 * {@link UnauthenticatedException}; 403 {@link ForbiddenException}; any other
 * failure, including an unreachable server, a {@link StoreException}.
 *
 * <p><b>What the HTTP API does not offer.</b> {@link #lastCommitTime()} has no route of its own; it is the {@code VxData-As-Of} header of an
 * empty read (a read without {@code as_of} reads at the server's last commit time and says so).
 *
 * <p><b>Writes</b> return the server's {@code committed_at} ({@link WriteResult},
 * {@link Registration}).
 *
 * <p><b>Transport.</b> The JDK's {@link java.net.HttpURLConnection} (HTTP/1.1, keep-alive): no
 * library of its own, and a loopback round trip about half that of {@code java.net.http} (README,
 * "HTTP"). Proxies, authentication and TLS follow the JVM's defaults ({@link java.net.ProxySelector},
 * {@link java.net.Authenticator}, {@link javax.net.ssl.HttpsURLConnection#setDefaultSSLSocketFactory});
 * the client takes no HTTP client object of its own. Idle connections are kept by the JDK, at most
 * {@code http.maxConnections} (default 5) per server: raise that system property when more threads
 * share a client. A request body over 64 KiB is sent with {@code Expect: 100-continue}, so a body over
 * the server's {@code --max-body} gets its 413 ({@link ValidationException}) before the upload.
 *
 * <p>Thread-safe. {@link #close()} releases nothing on the server.
 */
public final class VxDataClient implements VxData {

  /** The response header stating the time a read was made at ({@link Json#AS_OF_HEADER}). */
  public static final String AS_OF_HEADER = Json.AS_OF_HEADER;

  private final URI base;
  private final Transport transport;
  private final AsOf defaultAsOf;
  private final String token;
  private final String requestId;
  private final String actAs;
  private volatile Map<String, PayloadType> types;

  private static final java.util.regex.Pattern TOKEN68 = java.util.regex.Pattern.compile("[A-Za-z0-9._~+/-]+=*");
  private static final java.util.regex.Pattern REQUEST_ID = java.util.regex.Pattern.compile("[A-Za-z0-9._~:+=/@-]{1,128}");

  private VxDataClient(Builder b) {
    String text = b.base.toString();
    this.base = URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
    this.transport = new Transport(b.connectTimeout, b.requestTimeout, b.sslContext);
    this.defaultAsOf = b.defaultAsOf;
    this.token = b.token;
    this.requestId = null;
    this.actAs = null;
  }

  private VxDataClient(URI base, Transport transport, AsOf defaultAsOf, String token, String requestId,
      String actAs) {
    this.actAs = actAs;
    this.base = base;
    this.transport = transport;
    this.defaultAsOf = defaultAsOf;
    this.token = token;
    this.requestId = requestId;
  }

  /** Starts a client of the server at {@code base}, e.g. {@code http://localhost:8080}. */
  public static Builder builder(URI base) {
    return new Builder(base);
  }

  /** The client-level default {@code as_of}: what reads that ask for the latest state read at. */
  public AsOf defaultAsOf() {
    return defaultAsOf;
  }

  /** The server's base URI. */
  public URI baseUri() {
    return base;
  }

  // -----------------------------------------------------------------------------------------------
  // Writes

  @Override
  public WriteResult create(List<NewResource> resources) {
    return RequestJson.writtenFromJson(post("/resources/create", RequestJson.createToJson(resources)).body(),
        "created");
  }

  @Override
  public WriteResult update(Map<String, ResourceUpdate> updates) {
    return RequestJson.writtenFromJson(post("/resources/update", RequestJson.updateToJson(updates)).body(),
        "updated");
  }

  @Override
  public WriteResult delete(List<String> identifiers, io.vxdata.Cascade cascade) {
    return RequestJson.writtenFromJson(
        post("/resources/delete", new RequestJson.Delete(identifiers, cascade).toJson()).body(), "deleted");
  }

  @Override
  public WriteResult restore(List<String> identifiers) {
    return RequestJson.writtenFromJson(post("/resources/restore", RequestJson.identifiersToJson(identifiers))
        .body(), "restored");
  }
  @Override
  public WriteResult updateWhere(io.vxdata.UpdateWhere request) {
    Objects.requireNonNull(request, "request");
    JsonNode body;
    try {
      body = RequestJson.updateWhereToJson(request);
    } catch (IllegalArgumentException e) {
      throw ValidationException.of(null, "set", "%s", e.getMessage());
    }
    return RequestJson.writtenFromJson(post("/resources/update-where", body).body(), "updated");
  }

  @Override
  public WriteResult deleteWhere(io.vxdata.DeleteWhere request) {
    Objects.requireNonNull(request, "request");
    return RequestJson.writtenFromJson(post("/resources/delete-where", RequestJson.deleteWhereToJson(request)).body(),
        "deleted");
  }


  // -----------------------------------------------------------------------------------------------
  // Reads

  @Override
  public Answer<List<Resource>> read(List<String> identifiers, ReadOptions options) {
    ReadOptions effective = options.asOf().isLatest() ? options.withAsOf(defaultAsOf) : options;
    Reply reply = post("/resources/read", new RequestJson.Read(identifiers, effective).toJson());
    return reply.answer(reply.decode(body -> ResourceJson.listFromJson(body, this::typeOrNull)));
  }

  @Override
  public QueryPage query(QueryRequest request) {
    Reply reply = post("/query", QueryJson.toJson(withDefaultAsOf(request)));
    Instant at = reply.readAt();
    return reply.decode(body -> QueryJson.pageFromJson(body, at, request.selectColumns(), this::typeOrNull));
  }

  @Override
  public Answer<Long> count(QueryRequest request) {
    // include_permissions is no key of a count body (docs/behaviour.md §13.4): a count has no results to carry it.
    QueryRequest counted = request.includePermissions() ? request.toBuilder().includePermissions(false).build() : request;
    Reply reply = post("/query/count", QueryJson.toJson(withDefaultAsOf(counted)));
    return reply.answer(RequestJson.countFromJson(reply.body(), "count"));
  }

  @Override
  public Answer<List<String>> parents(String identifier, AsOf asOf) {
    Objects.requireNonNull(identifier, "identifier");
    String path = "/parents/" + URLEncoder.encode(identifier, StandardCharsets.UTF_8).replace("+", "%20");
    Reply reply = get(path, asOfParams(asOf, Map.of()));
    return reply.answer(RequestJson.stringsFromJson(reply.body()));
  }

  @Override
  public HistoryPage history(String identifier, HistoryRequest request) {
    Objects.requireNonNull(identifier, "identifier");
    Objects.requireNonNull(request, "request");
    String path = "/resources/" + URLEncoder.encode(identifier, StandardCharsets.UTF_8).replace("+", "%20")
        + "/history";
    Map<String, String> params = new LinkedHashMap<>();
    if (request.limit() != null) {
      params.put("limit", request.limit().toString());
    }
    if (request.cursor() != null) {
      params.put("cursor", request.cursor());
    }
    Reply reply = get(path, asOfParams(request.asOf(), params));
    return HistoryJson.pageFromJson(reply.body(), reply.readAt(), this::typeOrNull);
  }

  /** {@code GET /changes}; the client's default {@code as_of} does not apply (the feed is not a read at a time). */
  @Override
  public io.vxdata.ChangesPage changes(io.vxdata.ChangesRequest request) {
    Objects.requireNonNull(request, "request");
    StringJoiner query = new StringJoiner("&", "?", "").setEmptyValue("");
    java.util.function.BiConsumer<String, String> param =
        (k, v) -> query.add(k + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8));
    if (request.since() != null) {
      param.accept("since", request.since());
    }
    if (request.limit() != null) {
      param.accept("limit", request.limit().toString());
    }
    request.payloadTypes().forEach(type -> param.accept("payload_type", type));
    if (request.datasourceId() != null) {
      param.accept("datasource_id", request.datasourceId());
    }
    if (request.maxWait() != null) {
      param.accept("wait", java.math.BigDecimal.valueOf(request.maxWait().toMillis(), 3).toPlainString());
    }
    Reply reply = get("/changes" + query, Map.of());
    return io.vxdata.json.ChangesJson.pageFromJson(reply.body(), reply.readAt());
  }

  @Override
  public Answer<List<DatasourceStats>> datasourceStats(AsOf asOf) {
    Reply reply = get("/datasources/stats", asOfParams(asOf, Map.of()));
    return reply.answer(StatsJson.statsFromJson(reply.body()));
  }

  @Override
  public Answer<List<DatasourceDetails>> datasourceDetails(String datasourceId, AsOf asOf) {
    Map<String, String> params = datasourceId == null ? Map.of() : Map.of("datasource_id", datasourceId);
    Reply reply = get("/datasources/detailed-stats", asOfParams(asOf, params));
    return reply.answer(StatsJson.detailsFromJson(reply.body()));
  }

  /**
   * This server as {@code principalId} sees and changes it (docs/behaviour.md §13), as in process: only
   * the system handle acts for others. Over HTTP that is a client without a token of a server whose
   * {@code Authentication} is off with no anonymous principal (embedded servers and tests; never the
   * {@code vxdata-server} jar, whose anonymous requests act as its admin). The new client sends
   * {@value #ACT_AS_HEADER}{@code : <principalId>} and {@code X-Request-Id: <requestId>} with every
   * request, and the server runs each through {@code vx.as(principalId, requestId)}. To act as a
   * principal elsewhere, build a client with a token of it ({@link Builder#token(String)}).
   *
   * @throws UnauthenticatedException if there is no such enabled principal
   * @throws ForbiddenException if this client is not the served system handle (it has a token)
   */
  @Override
  public VxData as(String principalId, String requestId) {
    Objects.requireNonNull(principalId, "principalId");
    if (requestId != null && !REQUEST_ID.matcher(requestId).matches()) {
      throw ValidationException.of(null, "request_id", "must be 1 to 128 of A-Z a-z 0-9 . _ ~ : + = / @ -");
    }
    if (actAs != null) {
      throw new ForbiddenException("only the system handle acts for other principals; this is principal '%s'", actAs);
    }
    VxDataClient view = new VxDataClient(base, transport, defaultAsOf, token, requestId, principalId);
    view.access().whoami(); // as in process: an unknown or disabled principal fails here
    return view;
  }

  /** The request header naming the principal a system client acts for ({@link #as(String, String)}). */
  public static final String ACT_AS_HEADER = "VxData-Act-As";

  /**
   * Access administration over the admin routes ({@code /whoami}, {@code /principals…},
   * {@code /tokens/{id}}, {@code /datasources/{id}/grants}, {@code /transactions}), with this client's
   * rights. {@link Access#bootstrap} is not offered over HTTP (the server bootstraps at its first
   * start). {@link Access#authenticate} asks {@code GET /whoami} with the secret; like in process it
   * is for the system handle only (see {@link #as(String, String)}).
   */
  @Override
  public Access access() {
    return new HttpAccess();
  }

  /**
   * Relations over {@code /relations}, {@code /links/attach} and {@code /links/detach} (docs/behaviour.md
   * §15.1), with this client's rights.
   */
  @Override
  public Relations relations() {
    return new HttpRelations();
  }

  /** Releases over {@code /releases} and {@code /releases/{name}} (docs/behaviour.md §14.4), with this client's rights. */
  @Override
  public Releases releases() {
    return new HttpReleases();
  }

  /**
   * The server's last commit time: the {@code VxData-As-Of} header of an empty read, which the
   * server answers at its last commit time (the client's default {@code as_of} does not apply).
   */
  @Override
  public Instant lastCommitTime() {
    Reply reply = post("/resources/read", new RequestJson.Read(List.of(), ReadOptions.latest()).toJson());
    reply.body();
    return reply.readAt();
  }

  // -----------------------------------------------------------------------------------------------
  // Types and registrations

  /**
   * Registers or evolves a payload type with {@code PUT /schemas/{name}}, its body the type's JSON Schema
   * document ({@link PayloadType#schema()}); the server applies the rules of the in-process store.
   *
   * @throws ForbiddenException if this client's principal is not an admin
   * @throws ValidationException if the type is an incompatible change of the registered one
   */
  @Override
  public void registerType(PayloadType type) {
    Objects.requireNonNull(type, "type");
    send("PUT", "/schemas/" + segment(type.name()), Map.of(), Json.parse(type.schema()), token).body();
    types = null;
  }

  /**
   * Every payload type, parsed from {@code GET /schemas} (the metadata properties of each response
   * schema are left out, leaving the payload fields). Each call asks the server.
   */
  @Override
  public Map<String, PayloadType> payloadTypes() {
    Map<String, PayloadType> parsed = new TreeMap<>();
    schemaDocuments().forEach((name, schema) ->
        parsed.put(name, PayloadType.fromJsonSchema(name, text(payloadSchema(schema)))));
    Map<String, PayloadType> result = Collections.unmodifiableMap(new LinkedHashMap<>(parsed));
    types = result;
    return result;
  }

  @Override
  public Map<String, String> schemas() {
    Map<String, String> out = new TreeMap<>();
    schemaDocuments().forEach((name, schema) -> out.put(name, text(schema)));
    return Collections.unmodifiableMap(out);
  }

  /** The documents of {@code GET /schemas}, by payload type name. */
  private Map<String, ObjectNode> schemaDocuments() {
    JsonNode body = get("/schemas", Map.of()).body();
    if (!body.isObject()) {
      throw new StoreException("GET /schemas answered " + body.getNodeType() + ", not an object");
    }
    Map<String, ObjectNode> out = new TreeMap<>();
    for (Map.Entry<String, JsonNode> e : body.properties()) {
      if (!(e.getValue() instanceof ObjectNode schema)) {
        throw new StoreException("GET /schemas answered " + e.getValue().getNodeType() + " for '" + e.getKey()
            + "', not an object");
      }
      out.put(e.getKey(), schema);
    }
    return out;
  }

  /** Compact JSON text of a schema document. */
  private static String text(JsonNode schema) {
    return new String(Json.write(schema), StandardCharsets.UTF_8);
  }

  @Override
  public Registration registerPatient(String datasourceId, String externalUid) {
    return RequestJson.registeredFromJson(
        registration("/patients/register", RequestJson.RegistrationKey.DATASOURCE_ID, datasourceId, externalUid));
  }

  @Override
  public String resolvePatient(String datasourceId, String externalUid) {
    return RequestJson.identifierFromJson(
        registration("/patients/resolve", RequestJson.RegistrationKey.DATASOURCE_ID, datasourceId, externalUid));
  }

  @Override
  public Registration registerStudy(String patientIdentifier, String externalUid) {
    return RequestJson.registeredFromJson(registration("/studies/register",
        RequestJson.RegistrationKey.PATIENT_IDENTIFIER, patientIdentifier, externalUid));
  }

  @Override
  public RegistrationBatch registerPatients(List<PatientRegistration> patients) {
    noNullItems(patients);
    return registerAll("/patients/register", RequestJson.RegistrationKey.DATASOURCE_ID, patients.stream()
        .map(p -> new RequestJson.RegistrationItem(p.datasourceId(), p.externalUid(), p.fields())).toList());
  }

  @Override
  public RegistrationBatch registerStudies(List<StudyRegistration> studies) {
    noNullItems(studies);
    return registerAll("/studies/register", RequestJson.RegistrationKey.PATIENT_IDENTIFIER, studies.stream()
        .map(s -> new RequestJson.RegistrationItem(s.patientIdentifier(), s.externalUid(), s.fields())).toList());
  }

  private static void noNullItems(List<?> items) {
    Objects.requireNonNull(items, "items");
    for (int i = 0; i < items.size(); i++) {
      if (items.get(i) == null) {
        throw ValidationException.of(null, io.vxdata.spi.RegistrationItems.name(i, null), "is null");
      }
    }
  }

  private RegistrationBatch registerAll(String path, String key, List<RequestJson.RegistrationItem> items) {
    for (int i = 0; i < items.size(); i++) {
      // In the list form the key and the other fields share one object: a field named like the key
      // would replace it on the wire.
      io.vxdata.spi.RegistrationItems.checkFieldNames(i, items.get(i).fields());
    }
    JsonNode body;
    try {
      body = RequestJson.registrationItemsToJson(key, items);
    } catch (IllegalArgumentException e) {
      throw ValidationException.of(null, "fields", "%s", e.getMessage());
    }
    return RequestJson.registeredBatchFromJson(post(path, body).body());
  }

  @Override
  public String resolveStudy(String patientIdentifier, String externalUid) {
    return RequestJson.identifierFromJson(registration("/studies/resolve",
        RequestJson.RegistrationKey.PATIENT_IDENTIFIER, patientIdentifier, externalUid));
  }

  /**
   * Does nothing: idle connections are the JDK's keep-alive cache's, shared by every
   * {@link java.net.HttpURLConnection} of the JVM, which closes them after a few idle seconds; nothing is
   * held on the server.
   */
  @Override
  public void close() {
    // nothing of its own to release
  }

  // -----------------------------------------------------------------------------------------------

  private JsonNode registration(String path, String key, String parent, String externalUid) {
    return post(path, new RequestJson.RegistrationKey(key, parent, externalUid).toJson()).body();
  }

  private QueryRequest withDefaultAsOf(QueryRequest request) {
    return request.asOf().isLatest() ? request.toBuilder().asOf(defaultAsOf).build() : request;
  }

  private Map<String, String> asOfParams(AsOf asOf, Map<String, String> others) {
    Map<String, String> params = new LinkedHashMap<>(others);
    AsOf effective = asOf.isLatest() ? defaultAsOf : asOf;
    effective.instant().ifPresent(t -> params.put("as_of", Json.formatInstant(t)));
    effective.release().ifPresent(name -> params.put(Json.RELEASE, name));
    return params;
  }

  /** The payload type of a resource in an answer; the cache is refreshed once for a name it lacks. */
  private PayloadType typeOrNull(String name) {
    Map<String, PayloadType> known = types;
    if (known == null || !known.containsKey(name)) {
      known = payloadTypes();
    }
    return known.get(name);
  }

  /** A response schema minus its metadata properties: the payload type's own schema. */
  static ObjectNode payloadSchema(ObjectNode responseSchema) {
    ObjectNode copy = responseSchema.deepCopy();
    JsonNode properties = copy.get("properties");
    if (properties instanceof ObjectNode props) {
      Fields.RESERVED.forEach(props::remove);
    }
    JsonNode required = copy.get("required");
    if (required != null && required.isArray()) {
      var kept = copy.putArray("required");
      required.forEach(r -> {
        if (!Fields.RESERVED.contains(r.asText())) {
          kept.add(r);
        }
      });
    }
    return copy;
  }

  /**
   * A 200 answer: its body, checked to be one well-formed JSON value, and its {@code VxData-As-Of}
   * header, if any.
   */
  private static final class Reply {
    private final byte[] raw;
    private final Instant asOf;
    private final String call;
    private JsonNode tree;

    Reply(byte[] raw, Instant asOf, String call) {
      this.raw = raw;
      this.asOf = asOf;
      this.call = call;
    }

    /** The body as a JSON tree. */
    JsonNode body() {
      if (tree == null) {
        tree = malformedIsStoreError(() -> Json.parse(raw));
      }
      return tree;
    }

    /**
     * The body read straight from its text by {@code reader} (a streaming reader of the wire module,
     * which reads text it does not take on through the tree and so fails as the tree path does).
     */
    <T> T decode(java.util.function.Function<byte[], T> reader) {
      return malformedIsStoreError(() -> reader.apply(raw));
    }

    private <T> T malformedIsStoreError(java.util.function.Supplier<T> read) {
      try {
        return read.get();
      } catch (MalformedJsonException e) {
        throw new StoreException(call + " answered malformed JSON: " + e.getMessage(), e);
      }
    }

    /** The time a read was made at; every read route states it. */
    Instant readAt() {
      if (asOf == null) {
        body(); // a malformed body is reported first, as it always was
        throw new StoreException("the server answered a read without the " + AS_OF_HEADER + " header");
      }
      return asOf;
    }

    <T> Answer<T> answer(T value) {
      return new Answer<>(value, readAt());
    }
  }

  private Reply post(String path, JsonNode body) {
    return send("POST", path, Map.of(), body, token);
  }

  private Reply get(String path, Map<String, String> params) {
    return send("GET", path, params, null, token);
  }

  /** A request with this client's token and request id; {@code body} {@code null} for none. */
  private Reply send(String method, String path, Map<String, String> params, JsonNode body, String bearer) {
    StringJoiner query = new StringJoiner("&", "?", "").setEmptyValue("");
    params.forEach((k, v) -> query.add(k + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8)));
    Map<String, String> headers = new LinkedHashMap<>();
    if (bearer != null) {
      headers.put("Authorization", "Bearer " + bearer);
    }
    if (requestId != null) {
      headers.put("X-Request-Id", requestId);
    }
    if (actAs != null) {
      headers.put(ACT_AS_HEADER, actAs);
    }
    return send(method, URI.create(base + path + query), body == null ? null : Json.write(body), headers);
  }

  private static String segment(String value) {
    return URLEncoder.encode(Objects.requireNonNull(value), StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** {@link Relations} over the relation routes. */
  private final class HttpRelations implements Relations {

    @Override
    public void register(RelationType type) {
      post("/relations", RelationJson.toJson(java.util.Objects.requireNonNull(type, "type")));
    }

    @Override
    public Map<String, RelationType> types() {
      return RelationJson.typesFromJson(VxDataClient.this.get("/relations", Map.of()).body());
    }

    @Override
    public WriteResult attach(List<Link> links) {
      return RequestJson.writtenFromJson(post("/links/attach", RelationJson.linksRequestToJson(links)).body(),
          "attached");
    }

    @Override
    public WriteResult detach(List<Link> links) {
      return RequestJson.writtenFromJson(post("/links/detach", RelationJson.linksRequestToJson(links)).body(),
          "detached");
    }
  }

  /** {@link Releases} over the release routes. */
  private final class HttpReleases implements Releases {

    @Override
    public Release create(String name, AsOf at, String description) {
      Objects.requireNonNull(at, "at");
      if (at.release().isPresent()) {
        throw ValidationException.of(null, "as_of", "a release names a time: give a date-time, or none for the last commit");
      }
      return ReleaseJson.fromJson(post("/releases", new ReleaseJson.Create(name, at, description).toJson()).body());
    }

    @Override
    public Release get(String name) {
      // Checked here: a name with a '/' would reach another route.
      return ReleaseJson.fromJson(VxDataClient.this.get("/releases/" + segment(ReleaseNames.check(name, "name")), Map.of()).body());
    }

    @Override
    public ReleasePage list(Integer limit, String cursor) {
      Map<String, String> params = new LinkedHashMap<>();
      if (limit != null) {
        params.put("limit", limit.toString());
      }
      if (cursor != null) {
        params.put("cursor", cursor);
      }
      return ReleaseJson.pageFromJson(VxDataClient.this.get("/releases", params).body());
    }
  }

  /** {@link Access} over the admin routes. */
  private final class HttpAccess implements Access {

    @Override
    public Principal whoami() {
      return AccessJson.principalFromJson(get("/whoami", Map.of()).body());
    }

    @Override
    public Principal createPrincipal(Principal principal) {
      return AccessJson.principalFromJson(post("/principals", AccessJson.newPrincipal(principal)).body());
    }

    @Override
    public List<Principal> principals() {
      return AccessJson.principalsFromJson(get("/principals", Map.of()).body());
    }

    @Override
    public Principal updatePrincipal(String principalId, PrincipalUpdate update) {
      return AccessJson.principalFromJson(send("PATCH", "/principals/" + segment(principalId), Map.of(),
          AccessJson.update(update), token).body());
    }

    @Override
    public IssuedToken issueToken(String principalId, Instant expiresAt) {
      return AccessJson.issuedFromJson(post("/principals/" + segment(principalId) + "/tokens",
          AccessJson.expiresAt(expiresAt)).body());
    }

    @Override
    public List<TokenInfo> tokens(String principalId) {
      return AccessJson.tokensFromJson(get("/principals/" + segment(principalId) + "/tokens", Map.of()).body());
    }

    @Override
    public void revokeToken(String tokenId) {
      send("DELETE", "/tokens/" + segment(tokenId), Map.of(), null, token);
    }

    /** Not over HTTP: the server bootstraps at its first start (docs/behaviour.md §13.7). */
    @Override
    public Optional<IssuedToken> bootstrap(String adminId, String secret) {
      if (!Principal.SYSTEM.equals(whoami().id())) {
        throw new ForbiddenException("only the system handle may bootstrap");
      }
      throw new UnsupportedOperationException("bootstrap is not offered over HTTP: the server bootstraps at its "
          + "first start (docs/behaviour.md §13.7)");
    }

    @Override
    public Optional<Principal> authenticate(String secret) {
      if (!Principal.SYSTEM.equals(whoami().id())) {
        throw new ForbiddenException("only the system handle may authenticate tokens");
      }
      if (secret == null || !TOKEN68.matcher(secret).matches()) {
        return Optional.empty();
      }
      try {
        return Optional.of(AccessJson.principalFromJson(send("GET", "/whoami", Map.of(), null, secret).body()));
      } catch (UnauthenticatedException e) {
        return Optional.empty();
      }
    }

    @Override
    public List<Grant> grants(String datasourceId) {
      return AccessJson.grantsFromJson(get("/datasources/" + segment(datasourceId) + "/grants", Map.of()).body());
    }

    @Override
    public void grant(Grant grant) {
      send("PUT", "/datasources/" + segment(grant.datasourceId()) + "/grants", Map.of(), AccessJson.grant(grant),
          token);
    }

    @Override
    public void revokeGrant(String datasourceId, String principalId) {
      send("DELETE", "/datasources/" + segment(datasourceId) + "/grants",
          Map.of("principal_id", Objects.requireNonNull(principalId, "principalId")), null, token);
    }

    @Override
    public List<Transaction> transactions(Instant since, int limit) {
      Map<String, String> params = new LinkedHashMap<>();
      if (since != null) {
        params.put("since", Json.formatInstant(since));
      }
      params.put("limit", Integer.toString(limit));
      return AccessJson.transactionsFromJson(get("/transactions", params).body());
    }
  }

  private Reply send(String method, URI uri, byte[] requestBody, Map<String, String> headers) {
    Transport.Response response;
    try {
      response = transport.send(method, uri, requestBody, headers);
    } catch (IOException e) {
      throw new StoreException("cannot reach the VxData server at " + base + " (" + method + " " + uri.getPath()
          + "): " + e, e);
    }
    int status = response.status();
    String call = method + " " + uri.getPath();
    if (status != 200 && status != 201) {
      JsonNode body = null;
      try {
        body = Json.parse(response.body());
      } catch (MalformedJsonException e) {
        // the raw text goes into the message
      }
      String raw = new String(response.body(), StandardCharsets.UTF_8);
      if (status == 413 && raw.isEmpty() && requestBody != null) { // refused on its Expect: 100-continue
        raw = "the request body (" + requestBody.length + " bytes) is larger than the server accepts";
      }
      throw Errors.toException(status, body, raw, call);
    }
    Instant asOf = response.asOfHeader() == null ? null : Json.parseInstant(response.asOfHeader(), AS_OF_HEADER);
    return new Reply(response.body(), asOf, call);
  }

  /** The exception → status table in reverse: HTTP errors back to the core exceptions. */
  static final class Errors {
    private Errors() {}

    static RuntimeException toException(int status, JsonNode body, String rawBody, String call) {
      String fallback = rawBody.isBlank() ? call + " answered HTTP " + status
          : call + " answered HTTP " + status + ": " + abbreviate(rawBody);
      ErrorJson error = ErrorJson.fromJson(status, body, fallback);
      boolean fromVxData = error.type() != null;
      if (status == 404 && ErrorJson.NOT_FOUND.equals(error.type())) {
        return error.details().isEmpty() ? new NotFoundException("%s", error.message())
            : new NotFoundException(error.details());
      }
      if (status == 401) {
        return new UnauthenticatedException(error.message());
      }
      if (status == 403 && fromVxData) {
        return new ForbiddenException("%s", error.message());
      }
      if (status == 400 || status == 413) {
        return error.details().isEmpty() || !fromVxData ? new ValidationException("%s", error.message())
            : new ValidationException(error.details());
      }
      return new StoreException(call + " failed with HTTP " + status + (error.type() == null ? "" : " "
          + error.type()) + ": " + error.message());
    }

    private static String abbreviate(String text) {
      String t = text.strip();
      return t.length() > 300 ? t.substring(0, 300) + "…" : t;
    }
  }

  /** Builds a {@link VxDataClient}. */
  public static final class Builder {
    private final URI base;
    private AsOf defaultAsOf = AsOf.latest();
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration requestTimeout = Duration.ofMinutes(5);
    private String token;
    private javax.net.ssl.SSLContext sslContext;

    private Builder(URI base) {
      this.base = Objects.requireNonNull(base, "base");
      if (!"http".equals(base.getScheme()) && !"https".equals(base.getScheme())) {
        throw new IllegalArgumentException("the server URI must be http:// or https://, not " + base);
      }
    }

    /** Reads at {@code asOf} unless a call names its own time (default: the latest state). */
    public Builder defaultAsOf(AsOf asOf) {
      this.defaultAsOf = Objects.requireNonNull(asOf, "asOf");
      return this;
    }

    /** Reads at transaction time {@code asOf} unless a call names its own time. */
    public Builder defaultAsOf(Instant asOf) {
      return defaultAsOf(AsOf.at(asOf));
    }

    /** How long to wait for a connection (default 10 s). */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /**
     * How long the answer may stall (default 5 min): the longest wait for its first byte, or between two
     * reads of it, not a bound on the whole exchange.
     */
    public Builder requestTimeout(Duration timeout) {
      this.requestTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /**
     * For an {@code https://} server: the SSL context whose trust material checks its certificate (for
     * example one that trusts a private CA or a self-signed certificate). Without it the JVM's default
     * trust store applies.
     */
    public Builder sslContext(javax.net.ssl.SSLContext sslContext) {
      this.sslContext = Objects.requireNonNull(sslContext, "sslContext");
      return this;
    }

    /**
     * Sends {@code Authorization: Bearer <token>} with every request (docs/behaviour.md §13.5): the
     * client then acts as the token's principal. Without one it sends no credentials, which a server
     * with authentication on answers 401 (apart from its open routes).
     *
     * @throws IllegalArgumentException if {@code token} is not a bearer token (RFC 6750 characters)
     */
    public Builder token(String token) {
      if (token == null || !TOKEN68.matcher(token).matches()) {
        throw new IllegalArgumentException("not a bearer token (expected A-Z a-z 0-9 . _ ~ + / - and trailing =)");
      }
      this.token = token;
      return this;
    }

    /** The client. */
    public VxDataClient build() {
      return new VxDataClient(this);
    }
  }
}
