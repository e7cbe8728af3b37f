package io.vxdata.http;

import static io.vxdata.testkit.Fixtures.datasource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vxdata.AsOf;
import io.vxdata.NotFoundException;
import io.vxdata.ReadOptions;
import io.vxdata.Resource;
import io.vxdata.ResourceUpdate;
import io.vxdata.StoreException;
import io.vxdata.ValidationException;
import io.vxdata.VxData;
import io.vxdata.client.VxDataClient;
import io.vxdata.jdbc.TestH2;
import io.vxdata.query.QueryRequest;
import io.vxdata.schema.PayloadType;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The SDK client's own behaviour: default as_of, error mapping, what HTTP does not offer. */
class ClientTest {

  private VxData store;
  private VxDataServer server;
  private VxDataClient client;

  @BeforeEach
  void start() {
    store = TestH2.openFreshMemoryStore();
    server = VxDataServer.start(store, HttpBackend.testServerOptions());
    client = VxDataClient.builder(server.uri()).build();
  }

  @AfterEach
  void stop() {
    server.close();
    store.close();
  }

  @Test
  void defaultAsOfIsInjectedIntoEveryReadUnlessTheCallOverridesIt() {
    client.create(List.of(datasource("ds-1")));
    Instant t1 = client.lastCommitTime();
    client.update(Map.of("ds-1", ResourceUpdate.builder().set("site", "new").build()));
    String patient = client.registerPatient("ds-1", "u-1").identifier();
    Instant t2 = client.lastCommitTime();

    VxDataClient pinned = VxDataClient.builder(server.uri()).defaultAsOf(t1).build();

    assertThat(pinned.read(List.of("ds-1")).value().get(0).get("site")).isNull();
    assertThat(pinned.read(List.of("ds-1"), ReadOptions.asOf(t2)).value().get(0).get("site")).isEqualTo("new");
    assertThat(pinned.query(QueryRequest.of("patient").build()).results()).isEmpty();
    assertThat(pinned.query(QueryRequest.of("patient").build()).asOf()).isEqualTo(t1);
    assertThat(pinned.query(QueryRequest.of("patient").asOf(t2).build()).results()).hasSize(1);
    assertThat(pinned.count(QueryRequest.of("patient").build()).value()).isZero();
    assertThat(pinned.count(QueryRequest.of("patient").asOf(t2).build()).value()).isOne();
    assertThatThrownBy(() -> pinned.parents(patient).value()).isInstanceOf(NotFoundException.class);
    assertThat(pinned.parents(patient, AsOf.at(t2)).value()).containsExactly("ds-1");
    assertThat(pinned.datasourceStats(AsOf.latest()).value().get(0).patients()).isZero();
    assertThat(pinned.datasourceStats(AsOf.at(t2)).value().get(0).patients()).isOne();
    assertThat(pinned.datasourceDetails("ds-1", AsOf.latest()).value().get(0).versions()).isEqualTo(1);
    assertThat(pinned.datasourceDetails("ds-1", AsOf.at(t2)).value().get(0).versions()).isEqualTo(3);
    // Writes are not pinned, and lastCommitTime is the server's latest.
    assertThat(pinned.lastCommitTime()).isEqualTo(t2);
  }

  @Test
  void errorStatusesComeBackAsTheCoreExceptionsWithTheirViolations() {
    client.create(List.of(datasource("ds-1")));

    assertThatThrownBy(() -> client.create(List.of(datasource("bad id"), datasource("also bad!"))))
        .isInstanceOfSatisfying(ValidationException.class, e -> {
          assertThat(e.violations()).extracting(v -> v.identifier()).containsExactly("bad id", "also bad!");
          assertThat(e.violations()).extracting(v -> v.field()).containsOnly("identifier");
          assertThat(e.getMessage()).contains("(and 1 more)");
        });
    assertThatThrownBy(() -> client.create(List.of(datasource("ds-1")))).isInstanceOf(ValidationException.class)
        .hasMessageContaining("ds-1");
    assertThatThrownBy(() -> client.delete(List.of("nope"))).isInstanceOfSatisfying(NotFoundException.class,
        e -> assertThat(e.violations()).extracting(v -> v.identifier()).containsExactly("nope"));
    assertThatThrownBy(() -> client.resolvePatient("ds-1", "nobody")).isInstanceOf(NotFoundException.class)
        .hasMessageContaining("nobody");
  }

  @Test
  void serverFailuresAndUnreachableServersAreStoreExceptions() {
    VxDataClient wrongBase = VxDataClient.builder(URI.create(server.uri() + "/api")).build();
    assertThatThrownBy(() -> wrongBase.read(List.of("a")).value()).isInstanceOf(StoreException.class)
        .hasMessageContainingAll("404", "route_not_found");

    store.close();
    assertThatThrownBy(() -> client.read(List.of("a")).value()).isInstanceOf(StoreException.class)
        .hasMessageContainingAll("500", "internal_error");

    server.close();
    assertThatThrownBy(() -> client.read(List.of("a")).value()).isInstanceOf(StoreException.class)
        .hasMessageContaining("cannot reach");
  }

  @Test
  void aBodyOverTheServersMaxBodyIsA413ValidationExceptionAndTheClientKeepsWorking() {
    int maxBody = 64 * 1024;
    try (VxDataServer small = VxDataServer.start(store, HttpBackend.testServerOptions().withMaxBodyBytes(maxBody));
        VxDataClient c = VxDataClient.builder(small.uri()).build()) {
      c.create(List.of(datasource("ds-1")));
      // Over 64 KiB: sent with Expect: 100-continue, refused on its Content-Length before the upload,
      // however far over the limit.
      List<String> many = unknownIdentifiers(40_000); // about 1.2 MB of JSON
      assertThatThrownBy(() -> c.read(many)).isInstanceOf(ValidationException.class)
          .hasMessageContainingAll("413", "larger than the server accepts");
      List<String> some = many.subList(0, 2_500); // about 75 KB
      assertThatThrownBy(() -> c.read(some)).isInstanceOf(ValidationException.class)
          .hasMessageContainingAll("413", "larger than the server accepts");
      assertThat(c.read(List.of("ds-1")).value()).hasSize(1);
    }
    // Over 64 KiB and accepted: the server answers 100 Continue and the body follows.
    List<String> many = unknownIdentifiers(40_000);
    assertThat(client.read(many).value()).isEmpty();
  }

  private static List<String> unknownIdentifiers(int n) {
    return java.util.stream.IntStream.range(0, n).mapToObj(i -> "no-such-identifier-" + (100_000 + i)).toList();
  }

  @Test
  void typesRegisteredThroughTheClientReachTheServersStore() {
    PayloadType finding = PayloadType.fromJsonSchema("finding", """
        {"type": "object", "properties": {"summary": {"type": "string"}, "score": {"type": "number"}},
         "required": ["summary"], "additionalProperties": false, "x-vxdata-parent-types": ["study"]}""");

    client.registerType(finding);

    assertThat(store.payloadTypes().get("finding").fields()).isEqualTo(finding.fields());
    PayloadType seen = client.payloadTypes().get("finding");
    assertThat(seen.fields()).isEqualTo(finding.fields());
    assertThat(seen.parentTypes()).containsExactly("study");
    assertThat(client.payloadTypes().keySet()).isEqualTo(store.payloadTypes().keySet());
    assertThat(client.schemas()).isEqualTo(store.schemas());
  }

  @Test
  void aTypeRegisteredAfterTheClientCachedTheTypesIsStillReadCanonically() {
    assertThat(client.payloadTypes()).doesNotContainKey("late");
    store.registerType(PayloadType.fromJsonSchema("late", """
        {"type": "object", "properties": {"n": {"type": "integer"}, "day": {"type": "string", "format": "date"}}}"""));
    client.create(List.of(io.vxdata.NewResource.builder("late", "l-1").set("n", 5).set("day", "2024-02-29").build()));

    Resource r = client.read(List.of("l-1")).value().get(0);

    assertThat(r.get("n")).isEqualTo(5L);
    assertThat(r.get("day")).isEqualTo(java.time.LocalDate.of(2024, 2, 29));
    assertThat(r).isEqualTo(store.read(List.of("l-1")).value().get(0));
  }
}
