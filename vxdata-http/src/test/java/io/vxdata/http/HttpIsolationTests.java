package io.vxdata.http;

import static io.vxdata.testkit.Fixtures.datasource;
import static org.assertj.core.api.Assertions.assertThat;

import io.vxdata.VxData;
import io.vxdata.query.QueryRequest;
import io.vxdata.schema.PayloadType;
import io.vxdata.testkit.VxDataTestSupport;
import java.time.Instant;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The server of an {@link HttpBackend} lives for the whole test class, yet each test gets an empty
 * store behind it: the first test writes and registers a type, the next sees none of it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class HttpIsolationTests extends VxDataTestSupport {

  abstract HttpBackend backend();

  @Override
  protected VxData newStore() {
    return backend().start();
  }

  @Override
  protected void registerType(PayloadType type) {
    backend().registerType(type);
  }

  @Test
  @Order(1)
  void aTestWritesAndRegistersAType() {
    registerType(PayloadType.fromJsonSchema("sample", SAMPLE_SCHEMA));
    create(datasource("ds-1"));

    assertThat(store.payloadTypes()).containsKey("sample");
    assertThat(store.count(QueryRequest.of("datasource").build()).value()).isEqualTo(1);
  }

  @Test
  @Order(2)
  void theNextTestSeesAnEmptyStore() {
    assertThat(store.lastCommitTime()).isEqualTo(Instant.EPOCH);
    assertThat(store.count(QueryRequest.of("datasource").build()).value()).isZero();
    assertThat(readable(null, "ds-1")).isEmpty();
    assertThat(store.payloadTypes()).doesNotContainKey("sample").containsKeys("datasource", "patient");
  }
}
