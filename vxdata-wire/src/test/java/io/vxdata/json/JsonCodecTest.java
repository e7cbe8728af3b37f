package io.vxdata.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vxdata.AccessLevel;
import io.vxdata.AsOf;
import io.vxdata.Cascade;
import io.vxdata.DatasourceDetails;
import io.vxdata.DatasourceStats;
import io.vxdata.NewResource;
import io.vxdata.ReadOptions;
import io.vxdata.Registration;
import io.vxdata.Resource;
import io.vxdata.ResourceUpdate;
import io.vxdata.ValidationException;
import io.vxdata.Violation;
import io.vxdata.WriteResult;
import io.vxdata.query.Filter;
import io.vxdata.query.Operator;
import io.vxdata.query.QueryPage;
import io.vxdata.query.QueryRequest;
import io.vxdata.query.Scope;
import io.vxdata.query.SortKey;
import io.vxdata.query.SortOrder;
import io.vxdata.schema.PayloadType;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class JsonCodecTest {

  /** A payload type with a field of every kind (shared with {@link StreamingJsonTest}). */
  static final PayloadType SAMPLE = PayloadType.fromJsonSchema("sample", """
      {"type": "object", "properties": {
        "label": {"type": "string"}, "count": {"type": "integer"}, "ratio": {"type": "number"},
        "flag": {"type": "boolean"}, "day": {"type": "string", "format": "date"},
        "taken_at": {"type": "string", "format": "date-time"},
        "tags": {"type": "array", "items": {"type": "string"}}, "sizes": {"type": "array", "items": {"type": "integer"}}},
       "required": ["label"], "additionalProperties": false}
      """);

  private static Resource sample(Optional<List<String>> children) {
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("label", "x");
    payload.put("count", 3L);
    payload.put("ratio", 2.0);
    payload.put("flag", true);
    payload.put("day", LocalDate.of(2025, 2, 28));
    payload.put("taken_at", Instant.parse("2025-02-28T23:59:59.000001Z"));
    payload.put("tags", List.of("b", "a"));
    payload.put("sizes", null);
    return new Resource("s-1", "ds-1", "sample", "MIT", AccessLevel.CONFIDENTIAL, List.of("src"), false, 2,
        Instant.parse("2026-01-02T03:04:05.123456Z"), Instant.parse("2026-01-02T03:04:06Z"), "alice", "bob", payload, children);
  }

  @Test
  void resourceIsAFlatObjectWithMetadataThenPayloadThenChildren() {
    ObjectNode json = ResourceJson.toJson(sample(Optional.of(List.of("c-1"))));

    List<String> keys = new ArrayList<>();
    json.fieldNames().forEachRemaining(keys::add);
    assertThat(keys).containsExactly("identifier", "parent_identifier", "payload_type", "license", "access_level",
        "derived_from", "is_deleted", "version", "created_at", "updated_at", "created_by", "updated_by", "label", "count", "ratio", "flag", "day",
        "taken_at", "tags", "sizes", "children");
    assertThat(json.get("access_level").asText()).isEqualTo("confidential");
    assertThat(json.get("created_by").asText()).isEqualTo("alice");
    assertThat(json.get("updated_by").asText()).isEqualTo("bob");
    assertThat(json.get("created_at").asText()).isEqualTo("2026-01-02T03:04:05.123456Z");
    assertThat(json.get("updated_at").asText()).isEqualTo("2026-01-02T03:04:06.000000Z");
    assertThat(json.get("taken_at").asText()).isEqualTo("2025-02-28T23:59:59.000001Z");
    assertThat(json.get("day").asText()).isEqualTo("2025-02-28");
    assertThat(json.get("sizes").isNull()).isTrue();
    assertThat(ResourceJson.toJson(sample(Optional.empty())).has("children")).isFalse();
  }

  @Test
  void resourceRoundTripsToCanonicalValues() {
    for (Optional<List<String>> children : List.of(Optional.<List<String>>empty(), Optional.of(List.of("c-1")))) {
      Resource original = sample(children);
      JsonNode wire = Json.parse(Json.write(ResourceJson.toJson(original)));

      Resource back = ResourceJson.fromJson(wire, name -> name.equals("sample") ? SAMPLE : null);

      assertThat(back).isEqualTo(original);
      assertThat(back.get("count")).isInstanceOf(Long.class);
      assertThat(back.get("ratio")).isInstanceOf(Double.class);
      assertThat(back.get("taken_at")).isInstanceOf(Instant.class);
      assertThat(back.get("day")).isInstanceOf(LocalDate.class);
    }
  }

  @Test
  void projectedResourceKeepsOnlyThePayloadFieldsPresent() {
    JsonNode wire = Json.parse("""
        {"identifier":"s-1","parent_identifier":null,"payload_type":"sample","license":null,"access_level":"public",
         "derived_from":[],"is_deleted":false,"version":1,"created_at":"2026-01-02T03:04:05.000000Z",
         "updated_at":"2026-01-02T03:04:05.000000Z","count":7,"label":"y"}""");

    Resource r = ResourceJson.fromJson(wire, name -> SAMPLE);

    assertThat(r.payload()).containsExactly(entry("label", "y"), entry("count", 7L));
    assertThat(r.children()).isEmpty();
  }

  @Test
  void newResourceRoundTripsAndPassesPayloadOnForTheStore() {
    NewResource r = NewResource.builder("sample", "s-1").parent("ds-1").license("MIT")
        .accessLevel(AccessLevel.PUBLIC).derivedFrom("a").set("label", "x").set("count", 2)
        .set("taken_at", Instant.parse("2030-06-07T08:09:10.987654321Z")).set("sizes", List.of(1, 2)).build();

    NewResource back = ResourceJson.newResourceFromJson(Json.parse(Json.write(ResourceJson.toJson(r))));

    assertThat(back.identifier()).isEqualTo("s-1");
    assertThat(back.parentIdentifier()).isEqualTo("ds-1");
    assertThat(back.accessLevel()).isEqualTo(AccessLevel.PUBLIC);
    assertThat(back.derivedFrom()).containsExactly("a");
    assertThat(back.payload()).containsExactly(entry("label", "x"), entry("count", 2L),
        entry("taken_at", "2030-06-07T08:09:10.987654321Z"), entry("sizes", List.of(1L, 2L)));
  }

  @Test
  void newResourceMetadataOfTheWrongTypeNamesIdentifierAndField() {
    assertThatThrownBy(() -> ResourceJson.newResourceFromJson(Json.parse(
        "{\"identifier\":\"a\",\"payload_type\":\"datasource\",\"derived_from\":\"b\"}")))
        .isInstanceOf(ValidationException.class).hasMessageContainingAll("'a'", "derived_from");
    assertThatThrownBy(() -> ResourceJson.newResourceFromJson(Json.parse(
        "{\"identifier\":\"a\",\"payload_type\":\"datasource\",\"access_level\":\"top\"}")))
        .isInstanceOf(ValidationException.class).hasMessageContainingAll("'a'", "access_level", "top");
    assertThatThrownBy(() -> ResourceJson.newResourceFromJson(Json.parse(
        "{\"identifier\":\"a\",\"payload_type\":\"datasource\",\"created_at\":\"2024-01-01T00:00:00Z\"}")))
        .isInstanceOf(ValidationException.class).hasMessageContainingAll("'a'", "created_at");
    assertThatThrownBy(() -> ResourceJson.newResourceFromJson(Json.parse("[1]")))
        .isInstanceOf(ValidationException.class).hasMessageContaining("object");
  }

  @Test
  void updateKeepsExplicitNullsAndOrder() {
    ResourceUpdate update = ResourceUpdate.builder().set("label", "y").clear("count")
        .accessLevel(AccessLevel.RESTRICTED).derivedFrom(List.of("a")).deleted(false).build();

    Map<String, ResourceUpdate> back = RequestJson.updateFromJson(Json.parse(Json.write(
        RequestJson.updateToJson(Map.of("s-1", update)))));

    assertThat(back.get("s-1").changes()).containsExactly(entry("label", "y"), entry("count", null),
        entry("access_level", "restricted"), entry("derived_from", List.of("a")), entry("is_deleted", false));
    assertThatThrownBy(() -> RequestJson.updateFromJson(Json.parse("{\"updates\":{\"s-1\":5}}")))
        .isInstanceOf(ValidationException.class).hasMessageContainingAll("s-1", "updates.s-1");
  }

  @Test
  void envelopesRejectUnknownKeysAndWrongTypes() {
    assertThatThrownBy(() -> RequestJson.Read.fromJson(Json.parse("{\"identifiers\":[],\"typo\":1}")))
        .isInstanceOf(ValidationException.class).hasMessageContainingAll("typo", "identifiers", "as_of")
        .satisfies(e -> assertThat(((ValidationException) e).violations().get(0).field()).isEqualTo("typo"));
    assertThatThrownBy(() -> RequestJson.Read.fromJson(Json.parse("{}")))
        .isInstanceOf(ValidationException.class).hasMessageContainingAll("identifiers", "required");
    assertThatThrownBy(() -> RequestJson.Delete.fromJson(Json.parse("{\"identifiers\":[],\"cascade\":\"no\"}")))
        .isInstanceOf(ValidationException.class).hasMessageContainingAll("cascade", "true or false");
    assertThatThrownBy(() -> RequestJson.RegistrationKey.fromJson(
        Json.parse("{\"datasource_id\":1,\"external_uid\":\"u\"}"), RequestJson.RegistrationKey.DATASOURCE_ID)).isInstanceOf(ValidationException.class)
        .hasMessageContainingAll("datasource_id", "string");
  }

  @Test
  void writeAnswersCarryTheirCommitTime() {
    Instant t = Instant.parse("2026-05-20T10:00:00.000001Z");
    ObjectNode written = RequestJson.written("created", new WriteResult(2, t));
    assertThat(Json.mapper().convertValue(written, Map.class).toString())
        .isEqualTo("{created=2, committed_at=2026-05-20T10:00:00.000001Z}");
    assertThat(RequestJson.writtenFromJson(written, "created")).isEqualTo(new WriteResult(2, t));
    ObjectNode registered = RequestJson.registered(new Registration("pt-1", t));
    assertThat(RequestJson.registeredFromJson(registered)).isEqualTo(new Registration("pt-1", t));
    assertThatThrownBy(() -> RequestJson.writtenFromJson(Json.parse("{\"created\":2}"), "created"))
        .isInstanceOf(ValidationException.class).hasMessageContaining("committed_at");
  }

  @Test
  void readAndDeleteEnvelopesRoundTrip() {
    Instant t = Instant.parse("2026-05-20T10:00:00.000001Z");
    RequestJson.Read read = new RequestJson.Read(List.of("a", "b"), ReadOptions.asOf(t).withoutChildren());
    assertThat(RequestJson.Read.fromJson(read.toJson())).isEqualTo(read);
    assertThat(RequestJson.Read.fromJson(Json.parse("{\"identifiers\":[\"a\"],\"as_of\":\"2026-05-20\"}"))
        .options().asOf()).isEqualTo(AsOf.at(Instant.parse("2026-05-20T00:00:00Z")));
    RequestJson.Read withPermissions = new RequestJson.Read(List.of("a"), ReadOptions.latest().withPermissions());
    assertThat(withPermissions.toJson().get("include_permissions").asBoolean()).isTrue();
    assertThat(RequestJson.Read.fromJson(withPermissions.toJson())).isEqualTo(withPermissions);
    assertThat(RequestJson.Read.fromJson(read.toJson()).options().includePermissions()).isFalse();
    assertThatThrownBy(() -> RequestJson.Read.fromJson(Json.parse("{\"identifiers\":[],\"include_permissions\":1}")))
        .isInstanceOf(ValidationException.class).hasMessageContaining("include_permissions");
    RequestJson.Delete delete = new RequestJson.Delete(List.of("a"), Cascade.RESTRICT);
    assertThat(RequestJson.Delete.fromJson(delete.toJson())).isEqualTo(delete);
    assertThat(RequestJson.Delete.fromJson(Json.parse("{\"identifiers\":[]}")).cascade()).isEqualTo(Cascade.CASCADE);
  }

  @Test
  void queryRequestRoundTrips() {
    QueryRequest q = QueryRequest.of("sample")
        .filter(Filter.and(Filter.eq("label", "x"), Filter.not(Filter.where("count", Operator.IN, List.of(1L, 2L)))))
        .descendants("ds-1").identifiers(List.of("a", "b")).select("label", "count")
        .sortBy("label", SortOrder.ASC).sortBy("count", SortOrder.DESC).cursor("abc").limit(10)
        .asOf(Instant.parse("2026-01-02T03:04:05.123456Z")).includeDeleted(true)
        .updatedSince(Instant.parse("2026-01-01T00:00:00.000001Z")).build();

    QueryRequest back = QueryJson.fromJson(Json.parse(Json.write(QueryJson.toJson(q))));

    assertThat(back).isEqualTo(q);
    assertThat(QueryJson.fromJson(Json.parse("{\"payload_type\":\"sample\"}")))
        .isEqualTo(QueryRequest.of("sample").build());
  }

  @Test
  void includePermissionsIsAKeyOfQueryBodiesOnly() {
    QueryRequest q = QueryRequest.of("sample").includePermissions(true).build();
    ObjectNode json = QueryJson.toJson(q);
    assertThat(json.get("include_permissions").asBoolean()).isTrue();
    assertThat(QueryJson.pageRequestFromJson(json)).isEqualTo(q);
    assertThat(QueryJson.toJson(QueryRequest.of("sample").build()).has("include_permissions")).isFalse();
    // count and export bodies: an unknown key
    assertThatThrownBy(() -> QueryJson.fromJson(json)).isInstanceOf(ValidationException.class)
        .hasMessageContaining("include_permissions");
    assertThatThrownBy(() -> QueryJson.pageRequestFromJson(Json.parse(
        "{\"payload_type\":\"t\",\"include_permissions\":\"true\"}")))
        .isInstanceOf(ValidationException.class).hasMessageContaining("include_permissions");
  }

  @Test
  void sortByAndSortOrderTakeAStringOrAList() {
    assertThat(QueryJson.fromJson(Json.parse("{\"payload_type\":\"t\",\"sort_by\":\"label\"}")).sort())
        .containsExactly(SortKey.desc("label"));
    assertThat(QueryJson.fromJson(Json.parse("{\"payload_type\":\"t\",\"sort_order\":\"asc\"}")).sort())
        .containsExactly(SortKey.asc("created_at"));
    assertThat(QueryJson.fromJson(Json.parse("{\"payload_type\":\"t\",\"sort_by\":[\"a\",\"b\"],\"sort_order\":\"ASC\"}"))
        .sort()).containsExactly(SortKey.asc("a"), SortKey.asc("b"));
    assertThat(QueryJson.fromJson(Json.parse(
        "{\"payload_type\":\"t\",\"sort_by\":[\"a\",\"b\"],\"sort_order\":[\"asc\",\"desc\"]}")).sort())
        .containsExactly(SortKey.asc("a"), SortKey.desc("b"));
    assertThatThrownBy(() -> QueryJson.fromJson(Json.parse(
        "{\"payload_type\":\"t\",\"sort_by\":[\"a\",\"b\",\"c\"],\"sort_order\":[\"asc\",\"desc\"]}")))
        .isInstanceOf(ValidationException.class).hasMessageContainingAll("sort_order", "2", "3");
    assertThatThrownBy(() -> QueryJson.fromJson(Json.parse("{\"payload_type\":\"t\",\"sort_by\":5}")))
        .isInstanceOf(ValidationException.class).hasMessageContaining("sort_by");
  }

  @Test
  void queryRejectsUnknownKeysAndWrongTypes() {
    assertThatThrownBy(() -> QueryJson.fromJson(Json.parse("{\"payload_type\":\"t\",\"filter\":[]}")))
        .isInstanceOf(ValidationException.class).hasMessageContainingAll("'filter'", "filters");
    assertThatThrownBy(() -> QueryJson.fromJson(Json.parse("{\"payload_type\":\"t\",\"include_indirect_parents\":1}")))
        .isInstanceOf(ValidationException.class).hasMessageContaining("include_indirect_parents");
    assertThatThrownBy(() -> QueryJson.fromJson(Json.parse("{\"payload_type\":\"t\",\"as_of\":\"2026-01-02T03:04:05\"}")))
        .isInstanceOf(ValidationException.class).hasMessageContainingAll("as_of", "offset");
    assertThatThrownBy(() -> QueryJson.fromJson(Json.parse("{\"payload_type\":\"t\",\"include_deleted\":\"yes\"}")))
        .isInstanceOf(ValidationException.class).hasMessageContaining("include_deleted");
    assertThatThrownBy(() -> QueryJson.fromJson(Json.parse("{\"payload_type\":\"t\",\"updated_since\":\"2026-01-02T03:04\"}")))
        .isInstanceOf(ValidationException.class).hasMessageContainingAll("updated_since", "offset");
    assertThatThrownBy(() -> QueryJson.fromJson(Json.parse("{\"payload_type\":\"t\",\"updated_since\":7}")))
        .isInstanceOf(ValidationException.class).hasMessageContaining("updated_since");
    assertThat(QueryJson.fromJson(Json.parse("{\"payload_type\":\"t\",\"updated_since\":\"2026-05-20\"}")).updatedSince())
        .isEqualTo(Instant.parse("2026-05-20T00:00:00Z"));
    assertThat(QueryJson.fromJson(Json.parse("{\"payload_type\":\"t\",\"include_indirect_parents\":true,"
        + "\"parent_identifier\":\"p\"}")).scope()).isEqualTo(Scope.DESCENDANTS);
  }

  @Test
  void pageRoundTrips() {
    Resource r = sample(Optional.empty());
    QueryPage page = new QueryPage(List.of(r), "next", 1, Instant.parse("2026-01-02T03:04:06Z"));

    QueryPage back = QueryJson.pageFromJson(QueryJson.toJson(page), page.asOf(), null, name -> SAMPLE);

    assertThat(back).isEqualTo(page);
    assertThat(QueryJson.toJson(new QueryPage(List.of(), null, 100, page.asOf())).get("next_cursor").isNull()).isTrue();
  }

  @Test
  void statsRoundTrip() {
    List<DatasourceStats> stats = List.of(new DatasourceStats("ds-1", "One", 1, 2, 3, 6));
    assertThat(StatsJson.statsFromJson(StatsJson.statsToJson(stats))).isEqualTo(stats);
    List<DatasourceDetails> details = List.of(new DatasourceDetails("ds-1", "One",
        Map.of("patient", new DatasourceDetails.TypeCounts(2, 1)), 7, Instant.parse("2026-01-01T00:00:00Z"),
        Instant.parse("2026-01-02T00:00:00.5Z"), 1024));
    assertThat(StatsJson.detailsFromJson(StatsJson.detailsToJson(details))).isEqualTo(details);
  }

  @Test
  void errorBodyRoundTrips() {
    ErrorJson error = new ErrorJson(400, ErrorJson.VALIDATION_ERROR, "identifier 'a', field 'b': bad",
        List.of(new Violation("a", "b", "bad"), new Violation(null, null, "worse")));

    JsonNode json = error.toJson();

    assertThat(json.toString()).isEqualTo("{\"error\":{\"status\":400,\"type\":\"validation_error\",\"message\":"
        + "\"identifier 'a', field 'b': bad\",\"details\":[{\"identifier\":\"a\",\"field\":\"b\",\"message\":\"bad\"},"
        + "{\"identifier\":null,\"field\":null,\"message\":\"worse\"}]}}");
    assertThat(ErrorJson.fromJson(400, json, "fallback")).isEqualTo(error);
    assertThat(ErrorJson.fromJson(502, null, "Bad Gateway")).isEqualTo(new ErrorJson(502, null, "Bad Gateway", null));
  }

  @Test
  void malformedJsonIsItsOwnException() {
    assertThatThrownBy(() -> Json.parse("{\"a\":")).isInstanceOf(MalformedJsonException.class)
        .hasMessageContaining("malformed JSON");
    assertThatThrownBy(() -> Json.parse("{} {}")).isInstanceOf(MalformedJsonException.class);
    assertThatThrownBy(() -> Json.parse("{\"a\":1,\"a\":2}")).isInstanceOf(MalformedJsonException.class)
        .hasMessageContaining("a");
    assertThatThrownBy(() -> Json.parse(new byte[0])).isInstanceOf(MalformedJsonException.class)
        .hasMessageContaining("empty");
  }

  @Test
  void instantsAreWrittenWithSixFractionDigitsInUtc() {
    assertThat(Json.formatInstant(Instant.parse("2026-01-02T03:04:05Z"))).isEqualTo("2026-01-02T03:04:05.000000Z");
    assertThat(Json.formatInstant(Instant.parse("2026-01-02T03:04:05.1Z"))).isEqualTo("2026-01-02T03:04:05.100000Z");
    assertThat(Json.formatInstant(Instant.EPOCH)).isEqualTo("1970-01-01T00:00:00.000000Z");
  }
}
