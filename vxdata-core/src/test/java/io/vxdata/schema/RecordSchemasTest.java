package io.vxdata.schema;

import static io.vxdata.Rejections.violationOf;
import static io.vxdata.TestJson.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.vxdata.Violation;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Payload types derived from Java records with {@link PayloadType#fromRecord}. */
class RecordSchemasTest {

  enum Grade { LOW, HIGH }

  record Everything(String label, int count, long total, short small, byte tiny, Integer boxed, BigInteger big,
      double ratio, float fraction, Double boxedRatio, BigDecimal amount, boolean flag, Boolean maybe,
      LocalDate studyDate, Instant takenAt, OffsetDateTime seenAt, Grade grade, List<String> tags,
      List<LocalDate> days, List<Grade> grades) {}

  @Test
  void everySupportedComponentTypeBecomesASnakeCaseField() {
    PayloadType type = PayloadType.fromRecord("everything", Everything.class);

    assertThat(type.fields()).extracting(PayloadField::name, PayloadField::type, PayloadField::list)
        .containsExactly(
            tuple("label", FieldType.STRING, false),
            tuple("count", FieldType.INTEGER, false),
            tuple("total", FieldType.INTEGER, false),
            tuple("small", FieldType.INTEGER, false),
            tuple("tiny", FieldType.INTEGER, false),
            tuple("boxed", FieldType.INTEGER, false),
            tuple("big", FieldType.INTEGER, false),
            tuple("ratio", FieldType.NUMBER, false),
            tuple("fraction", FieldType.NUMBER, false),
            tuple("boxed_ratio", FieldType.NUMBER, false),
            tuple("amount", FieldType.NUMBER, false),
            tuple("flag", FieldType.BOOLEAN, false),
            tuple("maybe", FieldType.BOOLEAN, false),
            tuple("study_date", FieldType.DATE, false),
            tuple("taken_at", FieldType.DATE_TIME, false),
            tuple("seen_at", FieldType.DATE_TIME, false),
            tuple("grade", FieldType.STRING, false),
            tuple("tags", FieldType.STRING, true),
            tuple("days", FieldType.DATE, true),
            tuple("grades", FieldType.STRING, true));
  }

  @Test
  void primitiveComponentsAreRequiredAndBoxedOnesOptional() {
    PayloadType type = PayloadType.fromRecord("everything", Everything.class);

    assertThat(type.fields()).filteredOn(PayloadField::required).extracting(PayloadField::name)
        .containsExactly("count", "total", "small", "tiny", "ratio", "fraction", "flag");
  }

  @Test
  void enumComponentsAreEnumsOfTheConstantNames() {
    PayloadType type = PayloadType.fromRecord("everything", Everything.class);

    assertThat(type.field("grade").orElseThrow().constraints().enumValues()).containsExactly("LOW", "HIGH");
    assertThat(type.field("grades").orElseThrow().constraints().enumValues()).containsExactly("LOW", "HIGH");
  }

  @Test
  void theDerivedSchemaIsAClosedJsonSchemaTitledByTheRecord() {
    PayloadType type = PayloadType.fromRecord("everything", Everything.class);

    assertThat(json(type.schema()).get("$schema").asText()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
    assertThat(json(type.schema()).get("title").asText()).isEqualTo("Everything");
    assertThat(json(type.schema()).get("additionalProperties").asBoolean(true)).isFalse();
    assertThat(json(type.schema()).get("properties").get("study_date").toString())
        .isEqualTo("{\"type\":\"string\",\"format\":\"date\"}");
  }

  record NoPrimitives(String name) {}

  @Test
  void aRecordWithoutPrimitivesHasNoRequiredList() {
    PayloadType type = PayloadType.fromRecord("plain", NoPrimitives.class);

    assertThat(json(type.schema()).has("required")).isFalse();
    assertThat(type.fields()).extracting(PayloadField::required).containsExactly(false);
  }

  record WithUuid(UUID id) {}

  record WithNestedList(List<List<String>> rows) {}

  record WithWildcard(List<?> anything) {}

  @SuppressWarnings("rawtypes")
  record WithRawList(List anything) {}

  record WithListOfUnsupported(List<Object> things) {}

  record WithMetadataName(String version) {}

  record WithMetadataNameInCamelCase(String createdAt) {}

  @Test
  void unsupportedComponentTypesAreRejectedNamingTheField() {
    assertThat(violationOf(() -> PayloadType.fromRecord("r", WithUuid.class)))
        .isEqualTo(new Violation(null, "id", "record components of type java.util.UUID are not supported"));
    assertThat(violationOf(() -> PayloadType.fromRecord("r", WithListOfUnsupported.class)))
        .isEqualTo(new Violation(null, "things", "record components of type java.lang.Object are not supported"));
  }

  @Test
  void listsNeedAConcreteElementType() {
    for (Class<? extends Record> type : List.of(WithNestedList.class, WithWildcard.class, WithRawList.class)) {
      String component = type.getRecordComponents()[0].getName();
      assertThat(violationOf(() -> PayloadType.fromRecord("r", type))).as(type.getSimpleName())
          .isEqualTo(new Violation(null, component,
              "record component " + component + " needs a concrete List element type"));
    }
  }

  @Test
  void componentsNamedLikeMetadataAreRejected() {
    assertThat(violationOf(() -> PayloadType.fromRecord("r", WithMetadataName.class))).isEqualTo(
        new Violation(null, "version", "payload type 'r': is a metadata field name and cannot be a payload field"));
    assertThat(violationOf(() -> PayloadType.fromRecord("r", WithMetadataNameInCamelCase.class))).isEqualTo(
        new Violation(null, "created_at", "payload type 'r': is a metadata field name and cannot be a payload field"));
  }

  @Test
  void theTypeNameIsCheckedFirst() {
    assertThat(violationOf(() -> PayloadType.fromRecord("Everything", Everything.class))).isEqualTo(
        new Violation(null, "payload_type",
            "'Everything' is not a valid payload type name: use [a-z][a-z0-9_]*, at most 50 characters"));
  }

  @Test
  void snakeCaseSplitsBeforeEveryCapital() {
    assertThat(RecordSchemas.snakeCase("studyDate")).isEqualTo("study_date");
    assertThat(RecordSchemas.snakeCase("a")).isEqualTo("a");
    assertThat(RecordSchemas.snakeCase("sizeInMB")).isEqualTo("size_in_m_b");
  }
}
