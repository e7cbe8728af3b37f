package io.vxdata;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ResourceTest {

  private static final Instant CREATED = Instant.parse("2026-01-02T03:04:05.123456Z");
  private static final Instant UPDATED = Instant.parse("2026-01-02T03:04:06Z");

  private static Resource resource() {
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("label", "alpha");
    payload.put("count", null);
    return new Resource("s-1", "ds-1", "sample", "MIT", AccessLevel.CONFIDENTIAL, List.of("src"), false, 2,
        CREATED, UPDATED, "alice", "bob", payload, Optional.empty());
  }

  @Test
  void valueReadsEveryMetadataFieldByItsWireName() {
    Resource r = resource();

    assertThat(r.value(Fields.IDENTIFIER)).isEqualTo("s-1");
    assertThat(r.value(Fields.PARENT_IDENTIFIER)).isEqualTo("ds-1");
    assertThat(r.value(Fields.PAYLOAD_TYPE)).isEqualTo("sample");
    assertThat(r.value(Fields.LICENSE)).isEqualTo("MIT");
    assertThat(r.value(Fields.ACCESS_LEVEL)).isEqualTo(AccessLevel.CONFIDENTIAL);
    assertThat(r.value(Fields.DERIVED_FROM)).isEqualTo(List.of("src"));
    assertThat(r.value(Fields.IS_DELETED)).isEqualTo(false);
    assertThat(r.value(Fields.VERSION)).isEqualTo(2L);
    assertThat(r.value(Fields.CREATED_AT)).isEqualTo(CREATED);
    assertThat(r.value(Fields.UPDATED_AT)).isEqualTo(UPDATED);
  }

  @Test
  void valueOfAnyOtherNameIsThePayloadValue() {
    Resource r = resource();

    assertThat(r.value("label")).isEqualTo("alpha");
    assertThat(r.value("count")).isNull();
    assertThat(r.value("not_a_field")).isNull();
  }
}
