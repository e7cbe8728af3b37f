package io.vxdata.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonGenerator;
import io.vxdata.AccessLevel;
import io.vxdata.Resource;
import io.vxdata.ValidationException;
import io.vxdata.query.QueryPage;
import io.vxdata.schema.PayloadType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The streaming writers and readers give exactly what the tree path gives: text, values and errors. */
class StreamingJsonTest {

  private static final PayloadType SAMPLE = JsonCodecTest.SAMPLE;
  private static final Function<String, PayloadType> TYPES = name -> name.equals("sample") ? SAMPLE : null;

  private static List<Resource> resources() {
    List<Resource> out = new ArrayList<>();
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("label", "x \"quoted\" \u00e9\u4e2d\n");
    payload.put("count", 3L);
    payload.put("ratio", 2.5e-7);
    payload.put("flag", true);
    payload.put("day", LocalDate.of(2025, 2, 28));
    payload.put("taken_at", Instant.parse("2025-02-28T23:59:59.000001Z"));
    payload.put("tags", List.of("b", "a"));
    payload.put("sizes", null);
    out.add(new Resource("s-1", "ds-1", "sample", "MIT", AccessLevel.CONFIDENTIAL, List.of("src", "src2"), false, 2,
        Instant.parse("2026-01-02T03:04:05.123456Z"), Instant.parse("2026-01-02T03:04:06Z"), "alice", "bob",
        payload, Optional.of(List.of("c-1", "c-2"))));
    Map<String, Object> sparse = new LinkedHashMap<>();
    sparse.put("label", "");
    sparse.put("count", Long.MIN_VALUE);
    sparse.put("ratio", -0.0);
    sparse.put("sizes", List.of(1L, 2L, Long.MAX_VALUE));
    out.add(new Resource("s-2", null, "sample", null, AccessLevel.DEFAULT, List.of(), true, 1,
        Instant.parse("0001-01-01T00:00:00Z"), null, null, "system", sparse, Optional.empty()));
    out.add(out.get(0).project(List.of("label", "created_at", "access_level", "updated_by")));
    out.add(out.get(0).project(List.of()));
    // with include_permissions (docs/behaviour.md §13.4)
    out.add(out.get(0).withCanEdit(Optional.of(true)));
    out.add(out.get(1).withCanEdit(Optional.of(false)));
    out.add(out.get(0).withoutChildren().withCanEdit(Optional.of(false)).project(List.of("label")));
    Map<String, Object> odd = new LinkedHashMap<>();
    odd.put("n", 1);
    odd.put("big", new BigInteger("123456789012345678901234567890"));
    odd.put("dec", new BigDecimal("1.50"));
    odd.put("f", 1.5f);
    odd.put("odt", OffsetDateTime.of(2026, 1, 2, 3, 4, 5, 6, ZoneOffset.ofHours(2)));
    odd.put("nano", Instant.parse("2026-01-02T03:04:05.123456789Z"));
    odd.put("level", AccessLevel.PUBLIC);
    odd.put("nested", List.of(List.of("a"), List.of()));
    out.add(new Resource("u-1", "p", "unknown-type", "x", AccessLevel.PUBLIC, List.of(), false, 7,
        Instant.parse("9999-12-31T23:59:59.999999Z"), Instant.parse("1970-01-01T00:00:00Z"), "p-1", "p-2", odd,
        Optional.of(List.of())));
    return out;
  }

  private static byte[] streamed(IoWriter writer) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator g = Json.generator(out)) {
      writer.write(g);
    }
    return out.toByteArray();
  }

  private interface IoWriter {
    void write(JsonGenerator g) throws IOException;
  }

  @Test
  void streamedResourcesAndPagesAreTheTreesTextByteForByte() throws IOException {
    List<Resource> resources = resources();
    for (Resource r : resources) {
      assertThat(new String(streamed(g -> ResourceJson.write(g, r)), StandardCharsets.UTF_8))
          .isEqualTo(new String(Json.write(ResourceJson.toJson(r)), StandardCharsets.UTF_8));
    }
    assertThat(streamed(g -> ResourceJson.write(g, resources))).isEqualTo(Json.write(ResourceJson.toJson(resources)));
    for (String cursor : new String[] {null, "abc"}) {
      QueryPage page = new QueryPage(resources, cursor, 50, Instant.EPOCH);
      assertThat(streamed(g -> QueryJson.write(g, page))).isEqualTo(Json.write(QueryJson.toJson(page)));
    }
  }

  @Test
  void streamedReadsGiveTheTreesResources() {
    List<Resource> resources = resources();
    byte[] text = Json.write(ResourceJson.toJson(resources));
    List<Resource> tree = ResourceJson.listFromJson(Json.parse(text), TYPES);
    assertThat(StreamingReader.resources(text, TYPES)).isEqualTo(tree);
    assertThat(ResourceJson.listFromJson(text, TYPES)).isEqualTo(tree);
    // payload order and value classes too (equals of maps ignores order)
    List<Resource> streamed = StreamingReader.resources(text, TYPES);
    for (int i = 0; i < tree.size(); i++) {
      assertThat(new ArrayList<>(streamed.get(i).payload().keySet()))
          .isEqualTo(new ArrayList<>(tree.get(i).payload().keySet()));
      for (String key : tree.get(i).payload().keySet()) {
        Object a = tree.get(i).payload().get(key);
        Object b = streamed.get(i).payload().get(key);
        assertThat(b == null ? null : b.getClass()).as(key).isEqualTo(a == null ? null : a.getClass());
      }
    }

    Instant at = Instant.parse("2026-05-01T00:00:00Z");
    for (String cursor : new String[] {null, "abc"}) {
      byte[] page = Json.write(QueryJson.toJson(new QueryPage(resources, cursor, 50, at)));
      for (List<String> select : java.util.Arrays.asList(null, List.of("label"))) {
        QueryPage a = QueryJson.pageFromJson(Json.parse(page), at, select, TYPES);
        QueryPage b = QueryJson.pageFromJson(page, at, select, TYPES);
        assertThat(b).isEqualTo(a);
      }
    }
    byte[] noLimit = "{\"results\":[],\"extra\":{\"x\":[1]}}".getBytes(StandardCharsets.UTF_8);
    assertThat(QueryJson.pageFromJson(noLimit, at, null, TYPES))
        .isEqualTo(QueryJson.pageFromJson(Json.parse(noLimit), at, null, TYPES));
  }

  @Test
  void textTheStreamingReaderDeclinesGetsTheTreePathsAnswerOrError() {
    String[] texts = {
        "", "[", "[] []", "{}", "null", "[1]", "[{}]", "[{\"identifier\":1,\"payload_type\":\"sample\"}]",
        "[{\"identifier\":\"a\"}]", "[{\"identifier\":\"a\",\"payload_type\":\"sample\",\"count\":\"x\"}]",
        "[{\"identifier\":\"a\",\"payload_type\":\"sample\",\"access_level\":\"nope\"}]",
        "[{\"identifier\":\"a\",\"payload_type\":\"sample\",\"created_at\":\"yesterday\"}]",
        "[{\"identifier\":\"a\",\"payload_type\":\"sample\",\"created_at\":\"2026-02-30T00:00:00.000000Z\"}]",
        "[{\"identifier\":\"a\",\"payload_type\":\"sample\",\"identifier\":\"b\"}]",
        "[{\"identifier\":\"a\",\"payload_type\":\"sample\",\"label\":{\"x\":1}}]",
        "[{\"identifier\":\"a\",\"payload_type\":\"sample\",\"version\":1.5}]",
        "[{\"identifier\":\"a\",\"payload_type\":\"sample\",\"version\":99999999999999999999}]",
        "[{\"identifier\":\"a\",\"payload_type\":\"sample\",\"children\":[1]}]",
        "[{\"identifier\":\"a\",\"payload_type\":\"sample\",\"can_edit\":\"yes\"}]",
        "[{\"identifier\":\"a\",\"payload_type\":\"sample\",\"can_edit\":true,\"can_edit\":false}]",
        "[{\"identifier\":\"a\",\"payload_type\":\"other\",\"v\":1.25,\"w\":99999999999999999999,\"z\":null}]",
        "[{\"identifier\":\"a\",\"payload_type\":\"sample\",\"label\":\"x\",\"label\":\"y\"}]",
        "[{\"identifier\":\"a\",\"payload_type\":\"sample\",\"version\":1,\"version\":2}]",
        "[{\"identifier\":\"a\",\"payload_type\":\"sample\",\"day\":\"2024-02-30\"}]",
        "[{\"identifier\":\"a\",\"payload_type\":\"sample\",\"day\":\"0000-01-01\"}]",
        "[{\"identifier\":\"a\",\"payload_type\":\"sample\",\"day\":\"2024-2-3\"}]",
        "[{\"identifier\":\"a\",\"payload_type\":\"sample\",\"day\":\"2024-02-29\"}]",
    };
    for (String text : texts) {
      byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
      Object tree;
      try {
        tree = ResourceJson.listFromJson(Json.parse(bytes), TYPES);
      } catch (RuntimeException e) {
        tree = e.getClass().getName() + ": " + e.getMessage();
      }
      Object streamed;
      try {
        streamed = ResourceJson.listFromJson(bytes, TYPES);
      } catch (RuntimeException e) {
        streamed = e.getClass().getName() + ": " + e.getMessage();
      }
      assertThat(streamed).as(text).isEqualTo(tree);
    }
    for (String page : new String[] {"{\"results\":[],\"limit\":1,\"limit\":2}", "{\"results\":[],\"x\":{\"a\":1,\"a\":2}}",
        "{\"results\":[],\"limit\":1}", "{\"limit\":1,\"next_cursor\":null,\"results\":[]}"}) {
      byte[] bytes = page.getBytes(StandardCharsets.UTF_8);
      Object tree;
      try {
        tree = QueryJson.pageFromJson(Json.parse(bytes), Instant.EPOCH, null, TYPES);
      } catch (RuntimeException e) {
        tree = e.getClass().getName() + ": " + e.getMessage();
      }
      Object streamed;
      try {
        streamed = QueryJson.pageFromJson(bytes, Instant.EPOCH, null, TYPES);
      } catch (RuntimeException e) {
        streamed = e.getClass().getName() + ": " + e.getMessage();
      }
      assertThat(streamed).as(page).isEqualTo(tree);
    }
    assertThatThrownBy(() -> QueryJson.pageFromJson("{\"results\":3}".getBytes(StandardCharsets.UTF_8), Instant.EPOCH,
        null, TYPES)).isInstanceOf(ValidationException.class);
    assertThatThrownBy(() -> QueryJson.pageFromJson("{\"results\":[]".getBytes(StandardCharsets.UTF_8), Instant.EPOCH,
        null, TYPES)).isInstanceOf(MalformedJsonException.class);
  }

  @Test
  void instantsByHandMatchTheFormatterAndTheParser() {
    DateTimeFormatter formatter = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSXXX")
        .withZone(ZoneOffset.UTC);
    SplittableRandom random = new SplittableRandom(7);
    List<Instant> instants = new ArrayList<>(List.of(Instant.EPOCH, Instant.parse("0000-01-01T00:00:00Z"),
        Instant.parse("9999-12-31T23:59:59.999999999Z"), Instant.parse("-0001-12-31T23:59:59Z"),
        Instant.parse("+10000-01-01T00:00:00Z"), Instant.parse("2024-02-29T12:00:00.000000500Z")));
    for (int i = 0; i < 2000; i++) {
      instants.add(Instant.ofEpochSecond(random.nextLong(-62_200_000_000L, 253_500_000_000L),
          random.nextInt(1_000_000_000)));
    }
    for (Instant t : instants) {
      String text = Json.formatInstant(t);
      assertThat(text).isEqualTo(formatter.format(t));
      assertThat(Json.parseInstant(text, "f")).isEqualTo(OffsetDateTime.parse(text).toInstant());
    }
    for (String bad : new String[] {"2026-02-30T00:00:00.000000Z", "2026-01-01T24:00:00.000000Z",
        "2026-13-01T00:00:00.000000Z", "2026-01-01T00:00:00.00000xZ", "2026-01-01 00:00:00.000000Z"}) {
      assertThatThrownBy(() -> Json.parseInstant(bad, "f")).isInstanceOf(ValidationException.class);
    }
    assertThat(Set.of(Json.parseInstant("2026-01-01T01:00:00.5+01:00", "f"))).containsExactly(
        Instant.parse("2026-01-01T00:00:00.5Z"));
  }
}
