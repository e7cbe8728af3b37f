package io.vxdata.schema;

import static io.vxdata.Rejections.violationOf;
import static io.vxdata.Rejections.violationsOf;
import static io.vxdata.TestJson.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import io.vxdata.Violation;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link SchemaParser} through {@link PayloadType#fromJsonSchema}: the supported JSON Schema subset and its rejects. */
class SchemaParserTest {

  /** A schema with the given properties (a JSON object body) and nothing else. */
  private static String withProperties(String properties) {
    return "{\"type\": \"object\", \"properties\": {" + properties + "}}";
  }

  private static PayloadField onlyField(String property) {
    PayloadType type = PayloadType.fromJsonSchema("sample", withProperties("\"f\": " + property));
    assertThat(type.fields()).hasSize(1);
    return type.fields().get(0);
  }

  private static Violation rejectedField(String property) {
    return violationOf(() -> PayloadType.fromJsonSchema("sample", withProperties("\"f\": " + property)));
  }

  // ---- supported types ----

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "{\"type\": \"string\"}|STRING",
      "{\"type\": \"string\", \"format\": \"date\"}|DATE",
      "{\"type\": \"string\", \"format\": \"date-time\"}|DATE_TIME",
      "{\"type\": \"string\", \"format\": \"uri\"}|STRING",
      "{\"type\": \"integer\"}|INTEGER",
      "{\"type\": \"number\"}|NUMBER",
      "{\"type\": \"boolean\"}|BOOLEAN",
      "{\"type\": [\"integer\", \"null\"]}|INTEGER",
      "{\"type\": [\"null\", \"string\"], \"format\": \"date\"}|DATE",
      "{\"enum\": [\"a\", \"b\"]}|STRING",
      "{\"enum\": [1, 2]}|INTEGER",
      "{\"enum\": [1.5, 2]}|NUMBER",
      "{\"enum\": [true]}|BOOLEAN"})
  void everyScalarTypeParses(String property, FieldType expected) {
    PayloadField field = onlyField(property);

    assertThat(field.name()).isEqualTo("f");
    assertThat(field.type()).isEqualTo(expected);
    assertThat(field.list()).isFalse();
    assertThat(field.required()).isFalse();
    assertThat(field.indexed()).isFalse();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "{\"type\": \"string\"}|STRING",
      "{\"type\": \"string\", \"format\": \"date\"}|DATE",
      "{\"type\": \"string\", \"format\": \"date-time\"}|DATE_TIME",
      "{\"type\": \"integer\"}|INTEGER",
      "{\"type\": \"number\"}|NUMBER",
      "{\"type\": \"boolean\"}|BOOLEAN",
      "{\"enum\": [\"x\", \"y\"]}|STRING"})
  void arraysOfEveryScalarTypeParse(String items, FieldType expected) {
    PayloadField field = onlyField("{\"type\": \"array\", \"items\": " + items + "}");

    assertThat(field.type()).isEqualTo(expected);
    assertThat(field.list()).isTrue();
  }

  @Test
  void fieldsKeepSchemaOrderAndRequiredIsHonoured() {
    PayloadType type = PayloadType.fromJsonSchema("sample", """
        {"type": "object", "properties": {"b": {"type": "string"}, "a": {"type": "integer"}, "c": {"type": "boolean"}},
         "required": ["a"]}
        """);

    assertThat(type.fieldNames()).containsExactly("b", "a", "c");
    assertThat(type.fields()).extracting(PayloadField::name, PayloadField::required)
        .containsExactly(tuple("b", false), tuple("a", true), tuple("c", false));
  }

  @Test
  void anEmptySchemaHasNoFieldsAndAnyParent() {
    PayloadType type = PayloadType.fromJsonSchema("sample", "{}");

    assertThat(type.fields()).isEmpty();
    assertThat(type.parentTypes()).isEmpty();
    assertThat(type.isRoot()).isFalse();
    assertThat(type.allowsParentType("anything")).isTrue();
  }

  @Test
  void annotationsAndTheDocumentKeywordsAreAccepted() {
    PayloadType type = PayloadType.fromJsonSchema("sample", """
        {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": "urn:sample", "$comment": "c",
         "title": "Sample", "description": "d", "examples": [{}], "type": "object", "additionalProperties": false,
         "properties": {"f": {"type": "string", "title": "F", "description": "d", "default": "x", "examples": ["y"],
           "$comment": "c", "deprecated": false, "readOnly": false, "writeOnly": false}}}
        """);

    assertThat(type.fieldNames()).containsExactly("f");
  }

  // ---- constraints ----

  @Test
  void valueConstraintsAreParsed() {
    PayloadField.Constraints number = onlyField("""
        {"type": "number", "minimum": 0, "maximum": 10.5, "exclusiveMinimum": -1, "exclusiveMaximum": 11}
        """).constraints();
    PayloadField.Constraints text = onlyField("""
        {"type": "string", "minLength": 1, "maxLength": 5, "pattern": "^[a-z]+$"}
        """).constraints();
    PayloadField.Constraints list = onlyField("""
        {"type": "array", "items": {"type": "integer", "minimum": 1}, "minItems": 1, "maxItems": 3}
        """).constraints();

    assertThat(number.minimum()).isEqualByComparingTo(BigDecimal.ZERO);
    assertThat(number.maximum()).isEqualByComparingTo("10.5");
    assertThat(number.exclusiveMinimum()).isEqualByComparingTo("-1");
    assertThat(number.exclusiveMaximum()).isEqualByComparingTo("11");
    assertThat(text.minLength()).isEqualTo(1);
    assertThat(text.maxLength()).isEqualTo(5);
    assertThat(text.pattern().pattern()).isEqualTo("^[a-z]+$");
    assertThat(list.minimum()).isEqualByComparingTo(BigDecimal.ONE);
    assertThat(list.minItems()).isEqualTo(1);
    assertThat(list.maxItems()).isEqualTo(3);
  }

  @Test
  void enumValuesAreCanonicalAndANullEntryOnlyMakesTheFieldNullable() {
    assertThat(onlyField("{\"type\": \"integer\", \"enum\": [1, 2, null]}").constraints().enumValues())
        .containsExactly(1L, 2L);
    assertThat(onlyField("{\"type\": \"number\", \"enum\": [1, 2.5]}").constraints().enumValues())
        .containsExactly(1.0, 2.5);
    assertThat(onlyField("{\"type\": \"string\", \"format\": \"date\", \"enum\": [\"2024-02-29\"]}")
        .constraints().enumValues()).containsExactly(LocalDate.of(2024, 2, 29));
    assertThat(onlyField("{\"type\": \"string\"}").constraints()).isEqualTo(PayloadField.Constraints.NONE);
  }

  // ---- x-vxdata-* keywords ----

  @Test
  void parentTypesRestrictTheParent() {
    PayloadType type = PayloadType.fromJsonSchema("sample", "{\"x-vxdata-parent-types\": [\"patient\", \"study\"]}");

    assertThat(type.parentTypes()).containsExactlyInAnyOrder("patient", "study");
    assertThat(type.allowsParentType("study")).isTrue();
    assertThat(type.allowsParentType("datasource")).isFalse();
  }

  @Test
  void aRootTypeAllowsNoParent() {
    PayloadType type = PayloadType.fromJsonSchema("sample", "{\"x-vxdata-root\": true}");

    assertThat(type.isRoot()).isTrue();
    assertThat(type.allowsParentType("datasource")).isFalse();
    assertThat(PayloadType.fromJsonSchema("sample", "{\"x-vxdata-root\": false}").isRoot()).isFalse();
  }

  @Test
  void indexMarksAFieldForAnIndex() {
    assertThat(onlyField("{\"type\": \"string\", \"x-vxdata-index\": true}").indexed()).isTrue();
    assertThat(onlyField("{\"type\": \"string\", \"x-vxdata-index\": false}").indexed()).isFalse();
    assertThat(onlyField("{\"type\": \"array\", \"items\": {\"type\": \"string\"}, \"x-vxdata-index\": true}").indexed())
        .isTrue();
  }

  @Test
  void withParentTypesReplacesTheRestriction() {
    PayloadType type = PayloadType.fromJsonSchema("sample", withProperties("\"f\": {\"type\": \"string\"}"))
        .withParentTypes("study");

    assertThat(type.parentTypes()).containsExactly("study");
    assertThat(type.fieldNames()).containsExactly("f");
    assertThat(json(type.schema()).get("x-vxdata-parent-types")).isEqualTo(json("[\"study\"]"));
  }

  @Test
  void theBuiltInTypesParseAsTheSpecDefinesThem() {
    assertThat(BuiltInTypes.all()).extracting(PayloadType::name)
        .containsExactly("datasource", "patient", "study", "artefact", "family");
    PayloadType family = BuiltInTypes.all().get(4);
    assertThat(family.parentTypes()).containsExactly("datasource");
    assertThat(family.fieldNames()).containsExactly("name", "external_uid", "description");
    PayloadType datasource = BuiltInTypes.all().get(0);
    PayloadType patient = BuiltInTypes.all().get(1);
    PayloadType study = BuiltInTypes.all().get(2);
    PayloadType artefact = BuiltInTypes.all().get(3);

    assertThat(datasource.isRoot()).isTrue();
    assertThat(datasource.field("name").orElseThrow()).extracting(PayloadField::required, PayloadField::indexed)
        .containsExactly(true, true);
    assertThat(patient.parentTypes()).containsExactly("datasource");
    assertThat(patient.field("sex").orElseThrow().constraints().enumValues()).containsExactly("F", "M", "O", "U");
    assertThat(patient.field("birth_year").orElseThrow().type()).isEqualTo(FieldType.INTEGER);
    assertThat(study.parentTypes()).containsExactly("patient");
    assertThat(study.field("study_date").orElseThrow().type()).isEqualTo(FieldType.DATE);
    assertThat(study.field("external_uid").orElseThrow().required()).isTrue();
    assertThat(artefact.parentTypes()).isEmpty();
    assertThat(artefact.isRoot()).isFalse();
    assertThat(artefact.field("size_bytes").orElseThrow().type()).isEqualTo(FieldType.INTEGER);
  }

  // ---- rejects of the document ----

  @ParameterizedTest
  @ValueSource(strings = {"[]", "\"object\"", "null", "42"})
  void aSchemaMustBeAnObject(String document) {
    Violation v = violationOf(() -> PayloadType.fromJsonSchema("sample", document));

    assertThat(v).isEqualTo(new Violation(null, "schema", "payload type 'sample': a payload schema must be a JSON object"));
  }

  @Test
  void aMissingDocumentIsRejectedLikeANonObject() {
    assertThat(violationOf(() -> PayloadType.fromJsonSchema("sample", null)).message())
        .isEqualTo("payload type 'sample': a payload schema must be a JSON object");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "{\"type\": \"array\"}|type|a payload schema must have type 'object'",
      "{\"type\": [\"object\"]}|type|a payload schema must have type 'object'",
      "{\"additionalProperties\": true}|additionalProperties|payload fields are closed: additionalProperties may only be false",
      "{\"additionalProperties\": {\"type\": \"string\"}}|additionalProperties|payload fields are closed: additionalProperties may only be false",
      "{\"required\": \"f\"}|required|must be an array of property names",
      "{\"required\": [\"g\"]}|g|is required but not a property",
      "{\"properties\": []}|properties|must be an object",
      "{\"x-vxdata-parent-types\": \"patient\"}|x-vxdata-parent-types|must be an array of payload type names",
      "{\"x-vxdata-parent-types\": [\"Patient\"]}|x-vxdata-parent-types|'Patient' is not a payload type name",
      "{\"x-vxdata-root\": \"yes\"}|x-vxdata-root|must be true or false",
      "{\"x-vxdata-root\": true, \"x-vxdata-parent-types\": [\"patient\"]}|x-vxdata-root|a root type has no parent, so it cannot also name parent types",
      "{\"allOf\": []}|allOf|unsupported schema keyword 'allOf'",
      "{\"patternProperties\": {}}|patternProperties|unsupported schema keyword 'patternProperties'",
      "{\"$defs\": {}}|$defs|unsupported schema keyword '$defs'",
      "{\"x-vxdata-index\": true}|x-vxdata-index|unsupported schema keyword 'x-vxdata-index'"})
  void unsupportedDocumentsAreRejectedNamingTheKeyword(String document, String field, String message) {
    Violation v = violationOf(() -> PayloadType.fromJsonSchema("sample", document));

    assertThat(v).isEqualTo(new Violation(null, field, "payload type 'sample': " + message));
  }

  // ---- rejects of a property ----

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "\"Name\"", "\"1st\"", "\"with-dash\"", "\"_x\""})
  void malformedFieldNamesAreRejected(String name) {
    String unquoted = name.substring(1, name.length() - 1);
    Violation v = violationOf(() -> PayloadType.fromJsonSchema("sample", withProperties(name + ": {\"type\": \"string\"}")));

    assertThat(v).isEqualTo(new Violation(null, unquoted,
        "payload type 'sample': field names must match [a-z][a-z0-9_]* and have at most 63 characters"));
  }

  @Test
  void fieldNamesHaveAtMostSixtyThreeCharacters() {
    String longest = "a".repeat(63);
    String tooLong = "a".repeat(64);

    assertThat(PayloadType.fromJsonSchema("sample", withProperties("\"" + longest + "\": {\"type\": \"string\"}"))
        .fieldNames()).containsExactly(longest);
    assertThat(violationOf(() -> PayloadType.fromJsonSchema("sample",
        withProperties("\"" + tooLong + "\": {\"type\": \"string\"}")))).isEqualTo(new Violation(null, tooLong,
        "payload type 'sample': field names must match [a-z][a-z0-9_]* and have at most 63 characters"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"identifier", "parent_identifier", "payload_type", "license", "access_level", "derived_from",
      "is_deleted", "version", "created_at", "updated_at", "children", "can_edit"})
  void metadataNamesCannotBePayloadFields(String name) {
    Violation v = violationOf(() -> PayloadType.fromJsonSchema("sample", withProperties("\"" + name + "\": {\"type\": \"string\"}")));

    assertThat(v).isEqualTo(new Violation(null, name,
        "payload type 'sample': is a metadata field name and cannot be a payload field"));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "\"string\"|a property schema must be an object",
      "true|a property schema must be an object",
      "{}|needs a 'type'",
      "{\"description\": \"no type\"}|needs a 'type'",
      "{\"type\": \"object\"}|unsupported type 'object': use string, integer, number, boolean or array",
      "{\"type\": \"null\"}|unsupported type 'null': use string, integer, number, boolean or array",
      "{\"type\": [\"null\"]}|'type' must be one type, optionally with \"null\"",
      "{\"type\": [\"string\", \"integer\"]}|'type' must be one type, optionally with \"null\"",
      "{\"type\": 5}|'type' must be one type, optionally with \"null\"",
      "{\"type\": \"integer\", \"format\": \"date\"}|'format' applies to strings only",
      "{\"type\": \"string\", \"const\": \"x\"}|unsupported schema keyword 'const'",
      "{\"type\": \"string\", \"oneOf\": []}|unsupported schema keyword 'oneOf'",
      "{\"type\": \"string\", \"$ref\": \"#/x\"}|unsupported schema keyword '$ref'",
      "{\"type\": \"string\", \"items\": {\"type\": \"string\"}}|unsupported schema keyword 'items'",
      "{\"type\": \"integer\", \"enum\": []}|'enum' must be a non-empty array",
      "{\"type\": \"integer\", \"enum\": 1}|'enum' must be a non-empty array",
      "{\"type\": \"integer\", \"enum\": [\"one\"]}|enum value \"one\" does not match the field type: expected an integer, got the string 'one'",
      "{\"type\": \"string\", \"format\": \"date\", \"enum\": [\"2024-02-30\"]}|enum value \"2024-02-30\" does not match the field type: expected a date (yyyy-mm-dd), got '2024-02-30'",
      "{\"type\": \"string\", \"pattern\": \"(\"}|invalid 'pattern': Unclosed group",
      "{\"type\": \"number\", \"minimum\": \"0\"}|'minimum' must be a number",
      "{\"type\": \"number\", \"exclusiveMaximum\": null}|'exclusiveMaximum' must be a number",
      "{\"type\": \"string\", \"maxLength\": -1}|'maxLength' must be a non-negative integer",
      "{\"type\": \"string\", \"minLength\": 1.5}|'minLength' must be a non-negative integer",
      "{\"type\": \"string\", \"minLength\": 3000000000}|'minLength' must be a non-negative integer"})
  void unsupportedPropertiesAreRejectedNamingTheField(String property, String message) {
    Violation v = rejectedField(property);

    assertThat(v).isEqualTo(new Violation(null, "f", "payload type 'sample': " + message));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "{\"type\": \"array\"}|an array field needs an 'items' schema",
      "{\"type\": \"array\", \"items\": [{\"type\": \"string\"}]}|an array field needs an 'items' schema",
      "{\"type\": \"array\", \"items\": {\"type\": \"array\"}}|arrays of arrays are not supported: payload fields are flat",
      "{\"type\": \"array\", \"items\": {\"type\": \"object\"}}|unsupported type 'object': use string, integer, number, boolean or array",
      "{\"type\": \"array\", \"items\": {}}|needs a 'type'",
      "{\"type\": \"array\", \"items\": {\"type\": \"string\"}, \"uniqueItems\": true}|unsupported schema keyword 'uniqueItems'",
      "{\"type\": \"array\", \"items\": {\"type\": \"string\"}, \"enum\": [[\"a\"]]}|unsupported schema keyword 'enum'",
      "{\"type\": \"array\", \"items\": {\"type\": \"string\", \"minItems\": 1}}|unsupported schema keyword 'minItems'",
      "{\"type\": \"array\", \"items\": {\"type\": \"string\"}, \"maxItems\": -2}|'maxItems' must be a non-negative integer"})
  void unsupportedListItemsAreRejectedNamingTheField(String property, String message) {
    Violation v = rejectedField(property);

    assertThat(v).isEqualTo(new Violation(null, "f", "payload type 'sample': " + message));
  }

  @Test
  void anIndexMayNameTheFieldsThatFollowTheFirst() {
    PayloadType type = PayloadType.fromJsonSchema("sample", """
        {"properties": {"modality": {"type": "string", "x-vxdata-index": ["day", "n"]},
          "day": {"type": "string", "format": "date"}, "n": {"type": "integer", "x-vxdata-index": true}}}
        """);

    assertThat(type.field("modality").orElseThrow()).extracting(PayloadField::indexed, PayloadField::indexWith)
        .containsExactly(true, List.of("day", "n"));
    assertThat(type.field("n").orElseThrow()).extracting(PayloadField::indexed, PayloadField::indexWith)
        .containsExactly(true, List.of());
    assertThat(type.field("day").orElseThrow().indexed()).isFalse();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "[]|'x-vxdata-index' must be true, false, or a non-empty array of the field names that follow this one in its index",
      "[1]|'x-vxdata-index' must be true, false, or a non-empty array of the field names that follow this one in its index",
      "[\"nope\"]|'x-vxdata-index' names 'nope', which is not a field of the type",
      "[\"day\", \"day\"]|'x-vxdata-index' names 'day' twice",
      "[\"f\"]|'x-vxdata-index' names 'f' twice",
      "[\"label\"]|'x-vxdata-index' names 'label': the fields after the first of an index must be scalars other than strings (dates, date-times, numbers, booleans)",
      "[\"tags\"]|'x-vxdata-index' names 'tags': the fields after the first of an index must be scalars other than strings (dates, date-times, numbers, booleans)"})
  void malformedCompositeIndexesAreRejectedNamingTheField(String index, String message) {
    Violation v = violationOf(() -> PayloadType.fromJsonSchema("sample", "{\"properties\": {\"f\": {\"type\": \"string\","
        + " \"x-vxdata-index\": " + index + "}, \"day\": {\"type\": \"string\", \"format\": \"date\"},"
        + " \"label\": {\"type\": \"string\"}, \"tags\": {\"type\": \"array\", \"items\": {\"type\": \"integer\"}}}}"));

    assertThat(v).isEqualTo(new Violation(null, "f", "payload type 'sample': " + message));
  }

  @Test
  void everyProblemOfOneDocumentIsReported() {
    List<Violation> violations = violationsOf(() -> PayloadType.fromJsonSchema("sample", """
        {"type": "object", "anyOf": [], "properties": {"version": {"type": "string"}, "ok": {"type": "string"},
          "n": {"type": "integer", "format": "date-time"}}, "required": ["missing"]}
        """));

    assertThat(violations).extracting(Violation::field).containsExactly("anyOf", "version", "n", "missing");
  }

  @ParameterizedTest
  @ValueSource(strings = {"Sample", "1x", "with-dash", "", "a234567890123456789012345678901234567890123456789012"})
  void malformedTypeNamesAreRejected(String name) {
    Violation v = violationOf(() -> PayloadType.fromJsonSchema(name, "{}"));

    assertThat(v).isEqualTo(new Violation(null, "payload_type",
        "'" + name + "' is not a valid payload type name: use [a-z][a-z0-9_]*, at most 50 characters"));
  }

  // ---- evolution ----

  @Test
  void evolutionMayAddOptionalFieldsOnly() {
    PayloadType before = PayloadType.fromJsonSchema("sample", """
        {"properties": {"a": {"type": "string"}, "b": {"type": "integer"}, "c": {"type": "string"},
          "d": {"type": "array", "items": {"type": "string"}}}}
        """);
    PayloadType after = PayloadType.fromJsonSchema("sample", """
        {"properties": {"b": {"type": "number"}, "c": {"type": "string", "maxLength": 3},
          "d": {"type": "string"}, "e": {"type": "string"}, "g": {"type": "string"}}, "required": ["c", "g"]}
        """);

    assertThat(after.incompatibilitiesWith(before)).containsExactly(
        "field 'a' cannot be removed",
        "field 'b' cannot change its type",
        "field 'c' cannot become required",
        "field 'd' cannot change its type",
        "new field 'g' must be optional");
    assertThat(after.incompatibilitiesWith(after)).isEmpty();
  }

  // ---- response schemas ----

  @Test
  void theResponseSchemaListsMetadataAndPayloadFieldsAndNullsOptionalOnes() {
    PayloadType type = PayloadType.fromJsonSchema("sample", """
        {"description": "A sample.", "properties": {"label": {"type": "string"}, "grade": {"enum": ["low", "high"]},
          "day": {"type": "string", "format": "date"}}, "required": ["label"], "x-vxdata-parent-types": ["study", "patient"]}
        """);

    JsonNode schema = json(type.responseSchema());

    assertThat(schema.get("$schema").asText()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
    assertThat(schema.get("title").asText()).isEqualTo("sample");
    assertThat(schema.get("description").asText()).isEqualTo("A sample.");
    assertThat(schema.get("additionalProperties").asBoolean(true)).isFalse();
    assertThat(schema.get("properties").properties()).extracting(java.util.Map.Entry::getKey).containsExactly(
        "identifier", "parent_identifier", "payload_type", "license", "access_level", "derived_from", "is_deleted",
        "version", "created_at", "updated_at", "created_by", "updated_by", "children", "can_edit", "label", "grade",
        "day");
    assertThat(schema.get("required")).isEqualTo(json("""
        ["identifier", "payload_type", "access_level", "derived_from", "is_deleted", "version", "created_at",
         "updated_at", "created_by", "updated_by", "label"]
        """));
    JsonNode properties = schema.get("properties");
    assertThat(properties.get("payload_type")).isEqualTo(json("{\"const\": \"sample\"}"));
    assertThat(properties.get("access_level")).isEqualTo(
        json("{\"enum\": [\"public\", \"internal\", \"confidential\", \"restricted\"]}"));
    assertThat(properties.get("label")).isEqualTo(json("{\"type\": \"string\"}"));
    assertThat(properties.get("grade")).isEqualTo(json("{\"enum\": [\"low\", \"high\", null]}"));
    assertThat(properties.get("day")).isEqualTo(json("{\"type\": [\"string\", \"null\"], \"format\": \"date\"}"));
    assertThat(schema.get("x-vxdata-parent-types")).isEqualTo(json("[\"patient\", \"study\"]"));
    assertThat(schema.has("x-vxdata-root")).isFalse();
  }

  @Test
  void theResponseSchemaOfARootTypeSaysSo() {
    JsonNode schema = json(BuiltInTypes.all().get(0).responseSchema());

    assertThat(schema.get("x-vxdata-root").asBoolean()).isTrue();
    assertThat(schema.has("x-vxdata-parent-types")).isFalse();
  }

  @Test
  void theResponseSchemaLetsAnOptionalEnumBeNullWhateverItsValuesSpell() {
    PayloadType type = PayloadType.fromJsonSchema("sample",
        withProperties("\"status\": {\"type\": \"string\", \"enum\": [\"annulled\", \"nullified\", \"active\"]}"));

    JsonNode status = json(type.responseSchema()).get("properties").get("status");

    assertThat(status).isEqualTo(json("""
        {"type": ["string", "null"], "enum": ["annulled", "nullified", "active", null]}
        """));
  }

  @Test
  void theSchemaIsKeptAsCompactJsonTextInDocumentOrder() {
    PayloadType type = PayloadType.fromJsonSchema("sample", """
        {"type": "object",
         "properties": {"f": {"type": "string"}, "a": {"type": "integer", "minimum": 1.5}},
         "required": ["f"]}
        """);

    assertThat(type.schema()).isEqualTo(
        "{\"type\":\"object\",\"properties\":{\"f\":{\"type\":\"string\"},\"a\":{\"type\":\"integer\",\"minimum\":1.5}},"
            + "\"required\":[\"f\"]}");
    assertThat(PayloadType.fromJsonSchema("sample", type.schema())).isEqualTo(type);
  }

  @ParameterizedTest
  @ValueSource(strings = {"{", "{\"type\": \"object\"} {}", "{\"type\": \"object\", \"type\": \"object\"}", "not json"})
  void malformedSchemaTextIsRejectedNamingTheSchema(String text) {
    Violation v = violationOf(() -> PayloadType.fromJsonSchema("sample", text));

    assertThat(v.field()).isEqualTo("schema");
    assertThat(v.message()).startsWith("payload type 'sample': the schema is not well-formed JSON: ");
  }

  @Test
  void rootnessIsAComponentReadFromTheDocument() {
    PayloadType root = PayloadType.fromJsonSchema("sample", "{\"x-vxdata-root\": true}");

    assertThat(root.root()).isTrue();
    assertThat(root.withParentTypes().isRoot()).isTrue();
    assertThat(PayloadType.fromJsonSchema("sample", "{}").root()).isFalse();
  }
}
