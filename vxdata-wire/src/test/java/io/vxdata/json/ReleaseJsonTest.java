package io.vxdata.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.vxdata.AsOf;
import io.vxdata.ReadOptions;
import io.vxdata.ValidationException;
import io.vxdata.Violation;
import io.vxdata.query.QueryRequest;
import io.vxdata.release.Release;
import io.vxdata.release.ReleasePage;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReleaseJsonTest {

  private static String refusedField(Runnable call) {
    ValidationException e = catchThrowableOfType(ValidationException.class, call::run);
    assertThat(e).isNotNull();
    return e.violations().stream().map(Violation::field).reduce((a, b) -> a + "," + b).orElseThrow();
  }

  @Test
  void aReleaseGoesIntoReadAndQueryBodiesAndComesBack() {
    AsOf release = AsOf.release("v1");
    var read = new RequestJson.Read(List.of("a"), ReadOptions.at(release));
    assertThat(read.toJson().toString()).isEqualTo("{\"identifiers\":[\"a\"],\"release\":\"v1\"}");
    assertThat(RequestJson.Read.fromJson(read.toJson()).options().asOf()).isEqualTo(release);

    QueryRequest q = QueryRequest.of("study").asOf(release).build();
    assertThat(QueryJson.toJson(q).path("release").asText()).isEqualTo("v1");
    assertThat(QueryJson.toJson(q).has("as_of")).isFalse();
    assertThat(QueryJson.pageRequestFromJson(QueryJson.toJson(q)).asOf()).isEqualTo(release);
    assertThat(QueryJson.fromJson(QueryJson.toJson(q)).asOf()).isEqualTo(release);
  }

  @Test
  void bothAsOfAndReleaseOrAMalformedNameNameRelease() {
    assertThat(refusedField(() -> RequestJson.Read.fromJson(Json.parse(
        "{\"identifiers\":[\"a\"],\"as_of\":\"2026-01-01\",\"release\":\"v1\"}")))).isEqualTo("release");
    assertThat(refusedField(() -> QueryJson.pageRequestFromJson(Json.parse(
        "{\"payload_type\":\"study\",\"release\":\"v 1\"}")))).isEqualTo("release");
    assertThat(refusedField(() -> QueryJson.fromJson(Json.parse(
        "{\"payload_type\":\"study\",\"release\":[\"v1\"]}")))).isEqualTo("release");
  }

  @Test
  void releasesAndPagesRoundTrip() {
    Release r = new Release("v1", Instant.parse("2026-01-01T00:00:00.000001Z"), null, "admin",
        Instant.parse("2026-01-02T00:00:00Z"));
    assertThat(ReleaseJson.fromJson(ReleaseJson.toJson(r))).isEqualTo(r);
    ReleasePage page = new ReleasePage(List.of(r), "c", 1);
    assertThat(ReleaseJson.pageFromJson(ReleaseJson.pageToJson(page))).isEqualTo(page);

    var create = new ReleaseJson.Create("v2", AsOf.at(Instant.parse("2026-01-01T00:00:00Z")), "d");
    assertThat(ReleaseJson.Create.fromJson(create.toJson())).isEqualTo(create);
    assertThat(refusedField(() -> ReleaseJson.Create.fromJson(Json.parse("{\"name\":\"v\",\"at\":1}"))))
        .isEqualTo("at");
  }
}
