package io.vxdata.spi;

import static io.vxdata.Rejections.violationOf;
import static io.vxdata.Rejections.violationsOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.tuple;

import io.vxdata.AccessLevel;
import io.vxdata.NewResource;
import io.vxdata.ResourceUpdate;
import io.vxdata.Violation;
import io.vxdata.schema.BuiltInTypes;
import io.vxdata.schema.PayloadType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The stateless write checks of docs/behaviour.md §2.3, without a database. */
class WriteValidatorTest {

  private static final PayloadType SAMPLE = PayloadType.fromJsonSchema("sample", """
      {"type": "object", "properties": {
        "label": {"type": "string"}, "count": {"type": "integer", "minimum": 0}, "ratio": {"type": "number"},
        "flag": {"type": "boolean"}, "day": {"type": "string", "format": "date"},
        "taken_at": {"type": "string", "format": "date-time"}, "grade": {"type": "string", "enum": ["low", "high"]},
        "code": {"type": "string", "pattern": "^[A-Z]{2}$", "x-vxdata-index": true},
        "tags": {"type": "array", "items": {"type": "string"}, "maxItems": 3},
        "sizes": {"type": "array", "items": {"type": "integer"}}},
       "required": ["label"]}
      """);

  private static final Map<String, PayloadType> TYPES = types(SAMPLE);

  private static Map<String, PayloadType> types(PayloadType... extra) {
    Map<String, PayloadType> types = new LinkedHashMap<>();
    BuiltInTypes.all().forEach(t -> types.put(t.name(), t));
    for (PayloadType t : extra) {
      types.put(t.name(), t);
    }
    return types;
  }

  private static NewResource.Builder sample(String id) {
    return NewResource.builder("sample", id).set("label", "x");
  }

  private static WriteValidator.ValidCreate createOne(NewResource resource) {
    List<WriteValidator.ValidCreate> valid = WriteValidator.validateCreates(List.of(resource), TYPES);
    assertThat(valid).hasSize(1);
    return valid.get(0);
  }

  private static Violation createRejected(NewResource resource) {
    return violationOf(() -> WriteValidator.validateCreates(List.of(resource), TYPES));
  }

  private static Violation sampleValueRejected(String field, Object value) {
    return createRejected(sample("s-1").set(field, value).build());
  }

  private static Object sampleValue(String field, Object value) {
    return createOne(sample("s-1").set(field, value).build()).payload().get(field);
  }

  // ---- creates: what passes ----

  @Test
  void aValidCreateIsCanonicalWithEveryFieldPresent() {
    WriteValidator.ValidCreate valid = createOne(NewResource.builder("sample", "s-1").parent("p-1").license("MIT")
        .accessLevel(AccessLevel.PUBLIC).derivedFrom("a", "b").set("label", "x").set("count", 3)
        .set("day", "2024-02-29").set("tags", List.of("t")).build());

    assertThat(valid.identifier()).isEqualTo("s-1");
    assertThat(valid.type()).isSameAs(SAMPLE);
    assertThat(valid.parentIdentifier()).isEqualTo("p-1");
    assertThat(valid.license()).isEqualTo("MIT");
    assertThat(valid.accessLevel()).isEqualTo(AccessLevel.PUBLIC);
    assertThat(valid.derivedFrom()).containsExactly("a", "b");
    assertThat(valid.payload()).containsExactly(entry("label", "x"), entry("count", 3L), entry("ratio", null),
        entry("flag", null), entry("day", LocalDate.of(2024, 2, 29)), entry("taken_at", null), entry("grade", null),
        entry("code", null), entry("tags", List.of("t")), entry("sizes", null));
  }

  @Test
  void theAccessLevelDefaultsToInternal() {
    assertThat(createOne(sample("s-1").build()).accessLevel()).isEqualTo(AccessLevel.INTERNAL);
  }

  @Test
  void numbersAreAcceptedInAnyJavaShapeThatFits() {
    assertThat(sampleValue("count", (byte) 1)).isEqualTo(1L);
    assertThat(sampleValue("count", (short) 2)).isEqualTo(2L);
    assertThat(sampleValue("count", 3.0)).isEqualTo(3L);
    assertThat(sampleValue("count", new BigDecimal("4.00"))).isEqualTo(4L);
    assertThat(sampleValue("count", BigInteger.valueOf(5))).isEqualTo(5L);
    assertThat(sampleValue("ratio", 1)).isEqualTo(1.0);
    assertThat(sampleValue("ratio", new BigDecimal("0.25"))).isEqualTo(0.25);
    assertThat(sampleValue("sizes", List.of(1, 2L))).isEqualTo(List.of(1L, 2L));
  }

  @Test
  void enumConstantsAreWrittenByName() {
    assertThat(sampleValue("label", AccessLevel.PUBLIC)).isEqualTo("PUBLIC");
  }

  // ---- dates and date-times ----

  @Test
  void datesAreIsoDatesOrLocalDates() {
    assertThat(sampleValue("day", "0001-01-01")).isEqualTo(LocalDate.of(1, 1, 1));
    assertThat(sampleValue("day", LocalDate.of(9999, 12, 31))).isEqualTo(LocalDate.of(9999, 12, 31));
  }

  @Test
  void dateTimesNeedAnOffsetAndAreKeptInUtcMicroseconds() {
    assertThat(sampleValue("taken_at", "2024-03-01T01:30:00+02:00")).isEqualTo(Instant.parse("2024-02-29T23:30:00Z"));
    assertThat(sampleValue("taken_at", "2024-03-01T00:00:00.123456789Z"))
        .isEqualTo(Instant.parse("2024-03-01T00:00:00.123456Z"));
    assertThat(sampleValue("taken_at", OffsetDateTime.of(2024, 3, 1, 0, 0, 0, 0, ZoneOffset.ofHours(-5))))
        .isEqualTo(Instant.parse("2024-03-01T05:00:00Z"));
    assertThat(sampleValue("taken_at", Instant.parse("2024-03-01T00:00:00.000000999Z")))
        .isEqualTo(Instant.parse("2024-03-01T00:00:00Z"));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "day|2024-02-30|expected a date (yyyy-mm-dd), got '2024-02-30'",
      "day|2024-1-5|expected a date (yyyy-mm-dd), got '2024-1-5'",
      "day|2024-01-01T00:00:00Z|expected a date (yyyy-mm-dd), got '2024-01-01T00:00:00Z'",
      "day|+10000-01-01|must lie between the years 1 and 9999, not +10000-01-01",
      "day|-0001-12-31|must lie between the years 1 and 9999, not -0001-12-31",
      "taken_at|2024-01-01|expected an ISO 8601 date-time with offset, got '2024-01-01'",
      "taken_at|2024-01-01T10:00:00|expected an ISO 8601 date-time with offset, got '2024-01-01T10:00:00'",
      "taken_at|2024-01-01 10:00:00Z|expected an ISO 8601 date-time with offset, got '2024-01-01 10:00:00Z'",
      "taken_at|+10000-01-01T00:00:00Z|must lie between the years 1 and 9999, not +10000-01-01T00:00:00Z",
      "taken_at|0000-12-31T23:59:59Z|must lie between the years 1 and 9999, not 0000-12-31T23:59:59Z"})
  void malformedOrOutOfRangeDatesNameTheField(String field, String value, String message) {
    assertThat(sampleValueRejected(field, value)).isEqualTo(new Violation("s-1", field, message));
  }

  // ---- creates: wrong values ----

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "label|expected a string, got Long 5",
      "flag|expected a boolean, got Long 5",
      "day|expected a date (yyyy-mm-dd), got Long 5",
      "taken_at|expected an ISO 8601 date-time with offset, got Long 5",
      "tags|expected a list, got Long 5"})
  void aValueOfTheWrongTypeNamesTheFieldAndWhatWasExpected(String field, String message) {
    assertThat(sampleValueRejected(field, 5L)).isEqualTo(new Violation("s-1", field, message));
  }

  @Test
  void numbersMustFitTheirType() {
    assertThat(sampleValueRejected("count", "7")).isEqualTo(
        new Violation("s-1", "count", "expected an integer, got the string '7'"));
    assertThat(sampleValueRejected("count", 1.5)).isEqualTo(
        new Violation("s-1", "count", "expected an integer in the 64-bit range, got Double 1.5"));
    assertThat(sampleValueRejected("count", BigInteger.TWO.pow(64))).isEqualTo(
        new Violation("s-1", "count", "expected an integer in the 64-bit range, got BigInteger 18446744073709551616"));
    assertThat(sampleValueRejected("ratio", Double.NaN)).isEqualTo(
        new Violation("s-1", "ratio", "expected a finite number, got Double NaN"));
    assertThat(sampleValueRejected("ratio", true)).isEqualTo(
        new Violation("s-1", "ratio", "expected a finite number, got Boolean true"));
  }

  @Test
  void constraintsOfTheSchemaAreChecked() {
    assertThat(sampleValueRejected("count", -1)).isEqualTo(new Violation("s-1", "count", "must be >= 0, not -1"));
    assertThat(sampleValueRejected("grade", "medium")).isEqualTo(
        new Violation("s-1", "grade", "must be one of [low, high], not medium"));
    assertThat(sampleValueRejected("code", "abc")).isEqualTo(
        new Violation("s-1", "code", "must match the pattern ^[A-Z]{2}$"));
  }

  @Test
  void listItemsAreCheckedOneByOne() {
    assertThat(sampleValueRejected("sizes", List.of(1, "two"))).isEqualTo(
        new Violation("s-1", "sizes", "element 1: expected an integer, got the string 'two'"));
    assertThat(sampleValueRejected("sizes", Collections.singletonList(null))).isEqualTo(
        new Violation("s-1", "sizes", "element 0 is null; list elements may not be null"));
    assertThat(sampleValueRejected("tags", List.of("a", "b", "c", "d"))).isEqualTo(
        new Violation("s-1", "tags", "must have at most 3 items"));
    assertThat(sampleValueRejected("tags", List.of("a", "b\u0000"))).isEqualTo(
        new Violation("s-1", "tags", "element 1 contains a NUL character (U+0000), which cannot be stored"));
    assertThat(sampleValueRejected("sizes", Collections.nCopies(1001, 1))).isEqualTo(
        new Violation("s-1", "sizes", "must have at most 1000 items, not 1001"));
  }

  @Test
  void textMustBeStorable() {
    assertThat(sampleValueRejected("label", "a\u0000")).isEqualTo(
        new Violation("s-1", "label", "contains a NUL character (U+0000), which cannot be stored"));
    assertThat(sampleValueRejected("code", "AB".repeat(1001))).isEqualTo(
        new Violation("s-1", "code", "is longer than 2000 bytes in UTF-8, the most an indexed field holds"));
    assertThat(sampleValue("label", "é".repeat(1001))).isEqualTo("é".repeat(1001));
  }

  // ---- creates: metadata and structure ----

  @Test
  void anUnknownPayloadTypeListsTheRegisteredOnes() {
    assertThat(createRejected(NewResource.builder("nope", "n-1").build())).isEqualTo(new Violation("n-1", "payload_type",
        "unknown payload type 'nope'; registered: [artefact, datasource, family, patient, sample, study]"));
    assertThat(createRejected(new NewResource("n-1", null, null, null, null, null, null)))
        .isEqualTo(new Violation("n-1", "payload_type", "is required"));
  }

  @Test
  void anUnknownFieldNamesTheFieldsOfTheType() {
    assertThat(sampleValueRejected("colour", "red")).isEqualTo(new Violation("s-1", "colour",
        "unknown field for payload type 'sample'; fields: [label, count, ratio, flag, day, taken_at, grade, code, tags, sizes]"));
  }

  @Test
  void aMetadataFieldInThePayloadIsCalledOut() {
    assertThat(sampleValueRejected("license", "MIT")).isEqualTo(new Violation("s-1", "license",
        "unknown field for payload type 'sample' (a metadata field, not a payload field); fields: "
            + "[label, count, ratio, flag, day, taken_at, grade, code, tags, sizes]"));
  }

  @Test
  void aMissingRequiredFieldIsNamed() {
    Map<String, Object> payload = new HashMap<>();
    payload.put("label", null);

    assertThat(createRejected(NewResource.builder("sample", "s-1").build()))
        .isEqualTo(new Violation("s-1", "label", "is required for payload type 'sample'"));
    assertThat(createRejected(NewResource.builder("sample", "s-1").setAll(payload).build()))
        .isEqualTo(new Violation("s-1", "label", "is required for payload type 'sample'"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"-starts-with-dash", ".dot", "has space", "slash/", "ü", "a?b"})
  void malformedIdentifiersAreRejected(String id) {
    assertThat(createRejected(sample(id).build())).isEqualTo(new Violation(id, "identifier",
        "'" + id + "' is not a valid identifier: use 1-255 characters of [A-Za-z0-9._:~-], the first alphanumeric"));
  }

  @Test
  void identifiersHaveOneToTwoHundredFiftyFiveCharacters() {
    String longest = "a".repeat(255);

    assertThat(createOne(sample(longest).build()).identifier()).isEqualTo(longest);
    assertThat(createRejected(sample("a".repeat(256)).build())).isEqualTo(
        new Violation("a".repeat(256), "identifier", "identifier is longer than 255 characters"));
    assertThat(createRejected(sample("").build())).isEqualTo(new Violation("", "identifier", "identifier is empty"));
    assertThat(createRejected(new NewResource(null, "sample", null, null, null, null, Map.of("label", "x"))))
        .isEqualTo(new Violation(null, "identifier", "identifier is missing"));
  }

  @Test
  void everyCharacterOfTheIdentifierAlphabetIsAccepted() {
    assertThat(createOne(sample("Az09._:~-").build()).identifier()).isEqualTo("Az09._:~-");
  }

  @Test
  void anIdentifierRepeatedInTheBatchIsRejected() {
    Violation v = violationOf(() -> WriteValidator.validateCreates(
        List.of(sample("s-1").build(), sample("s-2").build(), sample("s-1").build()), TYPES));

    assertThat(v).isEqualTo(new Violation("s-1", "identifier", "appears more than once in the batch"));
  }

  @Test
  void parentsAreCheckedAgainstTheType() {
    assertThat(createRejected(sample("s-1").parent("bad parent").build())).isEqualTo(new Violation("s-1",
        "parent_identifier",
        "'bad parent' is not a valid identifier: use 1-255 characters of [A-Za-z0-9._:~-], the first alphanumeric"));
    assertThat(createRejected(sample("s-1").parent("s-1").build()))
        .isEqualTo(new Violation("s-1", "parent_identifier", "a resource cannot be its own parent"));
    assertThat(createRejected(NewResource.builder("datasource", "ds-1").parent("x").set("name", "n").build()))
        .isEqualTo(new Violation("ds-1", "parent_identifier", "a datasource is a root of the hierarchy and has no parent"));
    assertThat(createRejected(NewResource.builder("study", "st-1").set("external_uid", "u").build()))
        .isEqualTo(new Violation("st-1", "parent_identifier", "a study needs a parent of type patient"));
  }

  @Test
  void aTypeWithSeveralParentTypesListsThemSorted() {
    PayloadType note = PayloadType.fromJsonSchema("note", "{}").withParentTypes("study", "patient");

    Violation v = violationOf(() -> WriteValidator.validateCreates(List.of(NewResource.builder("note", "n-1").build()),
        types(note)));

    assertThat(v).isEqualTo(new Violation("n-1", "parent_identifier", "a note needs a parent of type patient or study"));
  }

  @Test
  void licensesHaveOneToTwoHundredFiftyFiveStorableCharacters() {
    assertThat(createOne(sample("s-1").license("L".repeat(255)).build()).license()).hasSize(255);
    assertThat(createRejected(sample("s-1").license("").build()))
        .isEqualTo(new Violation("s-1", "license", "must have 1-255 characters"));
    assertThat(createRejected(sample("s-1").license("L".repeat(256)).build()))
        .isEqualTo(new Violation("s-1", "license", "must have 1-255 characters"));
    assertThat(createRejected(sample("s-1").license("MIT\u0000").build()))
        .isEqualTo(new Violation("s-1", "license", "contains a NUL character (U+0000), which cannot be stored"));
  }

  @Test
  void lineageIsCheckedEntryByEntry() {
    assertThat(createRejected(sample("s-1").derivedFrom("a", "a").build()))
        .isEqualTo(new Violation("s-1", "derived_from", "lists 'a' twice"));
    assertThat(createRejected(sample("s-1").derivedFrom("s-1").build()))
        .isEqualTo(new Violation("s-1", "derived_from", "a resource cannot be derived from itself"));
    assertThat(createRejected(sample("s-1").derivedFrom("-x").build())).isEqualTo(new Violation("s-1", "derived_from",
        "'-x' is not a valid identifier: use 1-255 characters of [A-Za-z0-9._:~-], the first alphanumeric"));
    List<String> many = IntStream.rangeClosed(1, 1001).mapToObj(i -> "src-" + i).toList();
    assertThat(createRejected(sample("s-1").derivedFrom(many).build()))
        .isEqualTo(new Violation("s-1", "derived_from", "lists more than 1000 sources (1001)"));
  }

  @Test
  void everyProblemOfTheBatchIsReportedAndNothingIsValid() {
    List<Violation> violations = violationsOf(() -> WriteValidator.validateCreates(List.of(
        sample("ok-1").build(),
        NewResource.builder("sample", "s-2").set("count", "x").license("").build(),
        sample("bad id").build()), TYPES));

    assertThat(violations).extracting(Violation::identifier, Violation::field).containsExactly(
        tuple("s-2", "license"),
        tuple("s-2", "label"),
        tuple("s-2", "count"),
        tuple("bad id", "identifier"));
  }

  @Test
  void aBatchHasAtMostFiftyThousandItems() {
    List<NewResource> batch = Collections.nCopies(50_001, sample("s-1").build());

    assertThat(violationOf(() -> WriteValidator.validateCreates(batch, TYPES))).isEqualTo(
        new Violation(null, "resources", "at most 50,000 items per request, not 50,001"));
  }

  // ---- updates ----

  private static WriteValidator.ValidUpdate update(PayloadType type, String field, Object value) {
    Map<String, Object> changes = new HashMap<>();
    changes.put(field, value);
    List<Violation> violations = new ArrayList<>();
    WriteValidator.ValidUpdate valid = WriteValidator.validateUpdate("r-1", new ResourceUpdate(changes), type, violations);
    assertThat(violations).isEmpty();
    return valid;
  }

  private static Violation updateRejected(PayloadType type, String field, Object value) {
    Map<String, Object> changes = new HashMap<>();
    changes.put(field, value);
    List<Violation> violations = new ArrayList<>(List.of(new Violation("earlier", null, "an earlier problem")));
    WriteValidator.ValidUpdate valid = WriteValidator.validateUpdate("r-1", new ResourceUpdate(changes), type, violations);
    assertThat(valid).isNull();
    assertThat(violations).hasSize(2);
    return violations.get(1);
  }

  private static PayloadType patient() {
    return BuiltInTypes.all().get(1);
  }

  @Test
  void anUpdateSplitsMetadataFromPayloadWithCanonicalValues() {
    Map<String, Object> changes = new LinkedHashMap<>();
    changes.put("label", "y");
    changes.put("count", 2);
    changes.put("ratio", null);
    changes.put("parent_identifier", "p-2");
    changes.put("license", null);
    changes.put("access_level", "restricted");
    changes.put("derived_from", List.of("a"));
    changes.put("identifier", "r-1");
    changes.put("payload_type", "sample");
    List<Violation> violations = new ArrayList<>();

    WriteValidator.ValidUpdate valid = WriteValidator.validateUpdate("r-1", new ResourceUpdate(changes), SAMPLE,
        violations);

    assertThat(violations).isEmpty();
    assertThat(valid.identifier()).isEqualTo("r-1");
    assertThat(valid.payload()).containsExactly(entry("label", "y"), entry("count", 2L), entry("ratio", null));
    assertThat(valid.metadata()).containsExactly(entry("parent_identifier", "p-2"), entry("license", null),
        entry("access_level", AccessLevel.RESTRICTED), entry("derived_from", List.of("a")));
    assertThat(valid.deleted()).isNull();
  }

  @Test
  void isDeletedDeletesOrRestores() {
    assertThat(update(SAMPLE, "is_deleted", true).deleted()).isTrue();
    assertThat(update(SAMPLE, "is_deleted", false).deleted()).isFalse();
    assertThat(updateRejected(SAMPLE, "is_deleted", "yes"))
        .isEqualTo(new Violation("r-1", "is_deleted", "must be true or false"));
  }

  @Test
  void clearingTheLineageEmptiesIt() {
    assertThat(update(SAMPLE, "derived_from", null).metadata()).containsExactly(entry("derived_from", List.of()));
    assertThat(update(SAMPLE, "access_level", AccessLevel.PUBLIC).metadata())
        .containsExactly(entry("access_level", AccessLevel.PUBLIC));
  }

  @Test
  void immutableFieldsCannotChange() {
    assertThat(updateRejected(SAMPLE, "identifier", "r-2")).isEqualTo(new Violation("r-1", "identifier", "is immutable"));
    assertThat(updateRejected(SAMPLE, "payload_type", "datasource"))
        .isEqualTo(new Violation("r-1", "payload_type", "is immutable: the resource is a sample"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"version", "created_at", "updated_at", "children"})
  void systemFieldsCannotBeUpdated(String field) {
    assertThat(updateRejected(SAMPLE, field, 1))
        .isEqualTo(new Violation("r-1", field, "is assigned by the system and cannot be updated"));
  }

  @Test
  void parentChangesAreCheckedAgainstTheType() {
    assertThat(updateRejected(SAMPLE, "parent_identifier", 7))
        .isEqualTo(new Violation("r-1", "parent_identifier", "must be a string or null"));
    assertThat(updateRejected(SAMPLE, "parent_identifier", "r-1"))
        .isEqualTo(new Violation("r-1", "parent_identifier", "a resource cannot be its own parent"));
    assertThat(updateRejected(SAMPLE, "parent_identifier", "no way")).isEqualTo(new Violation("r-1", "parent_identifier",
        "'no way' is not a valid identifier: use 1-255 characters of [A-Za-z0-9._:~-], the first alphanumeric"));
    assertThat(updateRejected(BuiltInTypes.all().get(0), "parent_identifier", "x"))
        .isEqualTo(new Violation("r-1", "parent_identifier", "a datasource is a root of the hierarchy and has no parent"));
    assertThat(updateRejected(patient(), "parent_identifier", null))
        .isEqualTo(new Violation("r-1", "parent_identifier", "a patient needs a parent"));
    assertThat(update(SAMPLE, "parent_identifier", null).metadata()).containsExactly(entry("parent_identifier", null));
  }

  @Test
  void metadataValuesMustHaveTheirTypes() {
    assertThat(updateRejected(SAMPLE, "license", 5)).isEqualTo(new Violation("r-1", "license", "must be a string or null"));
    assertThat(updateRejected(SAMPLE, "license", "")).isEqualTo(new Violation("r-1", "license", "must have 1-255 characters"));
    assertThat(updateRejected(SAMPLE, "access_level", "secret")).isEqualTo(new Violation("r-1", "access_level",
        "access_level must be one of public, internal, confidential, restricted, not 'secret'"));
    assertThat(updateRejected(SAMPLE, "access_level", null)).isEqualTo(new Violation("r-1", "access_level",
        "access_level must be one of public, internal, confidential, restricted, not 'null'"));
    assertThat(updateRejected(SAMPLE, "derived_from", "a"))
        .isEqualTo(new Violation("r-1", "derived_from", "must be a list of identifiers"));
    assertThat(updateRejected(SAMPLE, "derived_from", List.of("a", 1)))
        .isEqualTo(new Violation("r-1", "derived_from", "must be a list of identifiers"));
    assertThat(updateRejected(SAMPLE, "derived_from", List.of("r-1")))
        .isEqualTo(new Violation("r-1", "derived_from", "a resource cannot be derived from itself"));
  }

  @Test
  void payloadChangesAreCheckedLikeCreates() {
    assertThat(updateRejected(SAMPLE, "colour", "red")).isEqualTo(new Violation("r-1", "colour",
        "unknown field for payload type 'sample'; fields: [label, count, ratio, flag, day, taken_at, grade, code, tags, sizes]"));
    assertThat(updateRejected(SAMPLE, "label", null))
        .isEqualTo(new Violation("r-1", "label", "is required for payload type 'sample' and cannot be cleared"));
    assertThat(updateRejected(SAMPLE, "day", "2024-13-01"))
        .isEqualTo(new Violation("r-1", "day", "expected a date (yyyy-mm-dd), got '2024-13-01'"));
    assertThat(updateRejected(SAMPLE, "grade", "mid"))
        .isEqualTo(new Violation("r-1", "grade", "must be one of [low, high], not mid"));
  }

  // ---- identifier lists ----

  @Test
  void identifierListsAreCheckedOneByOne() {
    WriteValidator.checkIdentifiers(List.of("a", "b"), "identifiers");

    List<Violation> violations = violationsOf(() -> WriteValidator.checkIdentifiers(List.of("a", "", "-b"), "identifiers"));

    assertThat(violations).containsExactly(new Violation("", "identifiers", "identifier is empty"),
        new Violation("-b", "identifiers",
            "'-b' is not a valid identifier: use 1-255 characters of [A-Za-z0-9._:~-], the first alphanumeric"));
    assertThat(violationOf(() -> WriteValidator.checkIdentifiers(null, "identifiers")))
        .isEqualTo(new Violation(null, "identifiers", "is required"));
    assertThat(violationOf(() -> WriteValidator.checkIdentifiers(Collections.nCopies(50_001, "a"), "identifiers")))
        .isEqualTo(new Violation(null, "identifiers", "at most 50,000 items per request, not 50,001"));
  }
}
