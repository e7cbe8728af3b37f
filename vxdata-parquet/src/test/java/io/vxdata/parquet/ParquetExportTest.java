package io.vxdata.parquet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vxdata.AsOf;
import io.vxdata.NewResource;
import io.vxdata.ReadOptions;
import io.vxdata.Resource;
import io.vxdata.ResourceUpdate;
import io.vxdata.ValidationException;
import io.vxdata.VxData;
import io.vxdata.jdbc.TestH2;
import io.vxdata.jdbc.TestPostgres;
import io.vxdata.query.Filter;
import io.vxdata.query.Operator;
import io.vxdata.query.QueryRequest;
import io.vxdata.query.SortOrder;
import io.vxdata.schema.PayloadType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Exports read back with parquet-java's own reader and compared value by value with
 * {@link VxData#read}, on H2 and on PostgreSQL.
 */
class ParquetExportTest {

  private static final int ROWS = 3000;
  private static final String SCHEMA = """
      {
        "type": "object",
        "properties": {
          "label": {"type": "string"},
          "count": {"type": "integer"},
          "ratio": {"type": "number"},
          "flag": {"type": "boolean"},
          "day": {"type": "string", "format": "date"},
          "taken_at": {"type": "string", "format": "date-time"},
          "tags": {"type": "array", "items": {"type": "string"}},
          "sizes": {"type": "array", "items": {"type": "integer"}}
        },
        "required": ["label"],
        "additionalProperties": false
      }
      """;

  @TempDir
  Path dir;
  private VxData vx;

  static Stream<Arguments> backends() {
    return Stream.of(Arguments.of("h2"), Arguments.of("postgresql"));
  }

  private VxData open(String backend) {
    vx = backend.equals("h2") ? TestH2.openFreshMemoryStore()
        : TestPostgres.openFreshStore();
    return vx;
  }

  @AfterEach
  void close() {
    if (vx != null) {
      vx.close();
    }
  }

  /** Creates ROWS samples under one datasource; every 7th leaves the optional fields null. */
  private Instant load() throws IOException {
    vx.registerType(PayloadType.fromJsonSchema("sample", SCHEMA));
    List<NewResource> batch = new ArrayList<>();
    batch.add(NewResource.builder("datasource", "ds").set("name", "DS").build());
    Instant base = Instant.parse("2024-03-01T10:15:30.123456Z");
    for (int i = 0; i < ROWS; i++) {
      NewResource.Builder b = NewResource.builder("sample", String.format("s-%05d", i)).parent("ds")
          .set("label", "label " + i + (i % 11 == 0 ? " ünïcødé" : ""));
      if (i % 7 != 0) {
        b.set("count", (long) i * 1_000_003L).set("ratio", i / 3.0).set("flag", i % 2 == 0)
            .set("day", LocalDate.of(2020, 1, 1).plusDays(i)).set("taken_at", base.plus(i * 1_001L, ChronoUnit.MICROS))
            .set("tags", i % 5 == 0 ? List.of() : List.of("t" + (i % 3), "x")).set("sizes", List.of((long) i, -1L));
      }
      if (i % 13 == 0) {
        b.license("CC-BY-4.0").derivedFrom("ds");
      }
      batch.add(b.build());
    }
    vx.create(batch);
    return vx.lastCommitTime();
  }

  private Path export(QueryRequest request, ParquetExport.Options options) throws IOException {
    Path file = dir.resolve(UUID.randomUUID() + ".parquet");
    try (var out = Files.newOutputStream(file)) {
      ParquetExport.Result result = ParquetExport.write(vx, request, out, options);
      assertThat(result.bytes()).isEqualTo(Files.size(file));
    }
    return file;
  }

  @ParameterizedTest
  @MethodSource("backends")
  void everyValueOfEveryTypeReadsBackAsStored(String backend) throws IOException {
    open(backend);
    load();
    QueryRequest all = QueryRequest.of("sample").sortBy("identifier", SortOrder.ASC).build();
    Path file = export(all, ParquetExport.Options.DEFAULT.withRowGroupBytes(64 * 1024));

    List<Map<String, Object>> rows = readWithParquetJava(file);
    assertThat(rows).hasSize(Math.toIntExact(vx.count(all).value())).hasSize(ROWS);
    List<String> ids = rows.stream().map(r -> (String) r.get("identifier")).toList();
    Map<String, Resource> stored = new LinkedHashMap<>();
    vx.read(ids, ReadOptions.latest().withoutChildren()).value().forEach(r -> stored.put(r.identifier(), r));
    assertThat(ids).isSorted();
    for (Map<String, Object> row : rows) {
      Resource r = stored.get((String) row.get("identifier"));
      assertThat(row.get("parent_identifier")).isEqualTo(r.parentIdentifier());
      assertThat(row.get("payload_type")).isEqualTo("sample");
      assertThat(row.get("license")).isEqualTo(r.license());
      assertThat(row.get("access_level")).isEqualTo(r.accessLevel().wireName());
      assertThat(row.get("derived_from")).isEqualTo(r.derivedFrom());
      assertThat(row.get("is_deleted")).isEqualTo(false);
      assertThat(row.get("version")).isEqualTo(r.version());
      assertThat(row.get("created_at")).isEqualTo(r.createdAt());
      assertThat(row.get("updated_at")).isEqualTo(r.updatedAt());
      for (String field : List.of("label", "count", "ratio", "flag", "day", "taken_at", "tags", "sizes")) {
        assertThat(row.get(field)).as("%s of %s", field, r.identifier()).isEqualTo(r.get(field));
      }
    }
    assertThat(rows.get(7).get("count")).as("an unset optional field stays null").isNull();
    assertThat(rows.get(5).get("tags")).as("an empty list stays empty").isEqualTo(List.of());
  }

  @ParameterizedTest
  @MethodSource("backends")
  void columnsAreTypedFromTheSchema(String backend) throws IOException {
    open(backend);
    load();
    Path file = export(QueryRequest.of("sample").build(), ParquetExport.Options.DEFAULT);
    try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(file))) {
      MessageType schema = reader.getFooter().getFileMetaData().getSchema();
      assertThat(primitive(schema, "label")).isEqualTo(PrimitiveTypeName.BINARY);
      assertThat(schema.getType("label").getLogicalTypeAnnotation()).isEqualTo(LogicalTypeAnnotation.stringType());
      assertThat(schema.getType("label").isRepetition(Type.Repetition.REQUIRED)).isTrue();
      assertThat(primitive(schema, "count")).isEqualTo(PrimitiveTypeName.INT64);
      assertThat(schema.getType("count").isRepetition(Type.Repetition.OPTIONAL)).isTrue();
      assertThat(primitive(schema, "ratio")).isEqualTo(PrimitiveTypeName.DOUBLE);
      assertThat(primitive(schema, "flag")).isEqualTo(PrimitiveTypeName.BOOLEAN);
      assertThat(schema.getType("day").getLogicalTypeAnnotation()).isEqualTo(LogicalTypeAnnotation.dateType());
      assertThat(schema.getType("taken_at").getLogicalTypeAnnotation())
          .isEqualTo(LogicalTypeAnnotation.timestampType(true, LogicalTypeAnnotation.TimeUnit.MICROS));
      assertThat(schema.getType("tags").getLogicalTypeAnnotation()).isEqualTo(LogicalTypeAnnotation.listType());
      assertThat(schema.getType("created_at").getLogicalTypeAnnotation())
          .isEqualTo(LogicalTypeAnnotation.timestampType(true, LogicalTypeAnnotation.TimeUnit.MICROS));
    }
  }

  @ParameterizedTest
  @MethodSource("backends")
  void filtersOrderSelectionLimitAndAsOfAreHonoured(String backend) throws IOException {
    open(backend);
    Instant loaded = load();
    vx.update(Map.of("s-00001", ResourceUpdate.builder().set("label", "changed").build()));
    vx.delete(List.of("s-00002"));

    QueryRequest filtered = QueryRequest.of("sample")
        .filter(Filter.where("count", Operator.GE, 1_000_003L * 2000))
        .sortBy("count", SortOrder.DESC).select("count", "label").build();
    List<Map<String, Object>> rows = readWithParquetJava(export(filtered, ParquetExport.Options.DEFAULT));
    assertThat(rows).hasSize(Math.toIntExact(vx.count(filtered).value()));
    assertThat(rows.get(0).keySet()).containsExactly("identifier", "payload_type", "count", "label");
    assertThat(rows.stream().map(r -> (Long) r.get("count")).toList())
        .isSortedAccordingTo((a, b) -> Long.compare(b, a)).allMatch(c -> c >= 1_000_003L * 2000);

    QueryRequest capped = QueryRequest.of("sample").sortBy("identifier", SortOrder.ASC).limit(1500).build();
    assertThat(readWithParquetJava(export(capped, ParquetExport.Options.DEFAULT))).hasSize(1500);

    QueryRequest past = QueryRequest.of("sample").sortBy("identifier", SortOrder.ASC).asOf(loaded).build();
    List<Map<String, Object>> then = readWithParquetJava(export(past, ParquetExport.Options.DEFAULT));
    assertThat(then).hasSize(ROWS);
    assertThat(then.get(1).get("label")).isEqualTo("label 1");
    assertThat(then.get(2).get("identifier")).isEqualTo("s-00002");
    List<Map<String, Object>> now = readWithParquetJava(export(past.toBuilder().asOf(AsOf.latest()).build(),
        ParquetExport.Options.DEFAULT));
    assertThat(now).hasSize(ROWS - 1);
    assertThat(now.get(1).get("label")).isEqualTo("changed");
  }

  @ParameterizedTest
  @MethodSource("backends")
  void includeDeletedAndUpdatedSinceExportTheChangesWithTheirTombstones(String backend) throws IOException {
    open(backend);
    Instant loaded = load();
    vx.update(Map.of("s-00001", ResourceUpdate.builder().set("label", "changed").build()));
    vx.delete(List.of("s-00002"));

    QueryRequest changes = QueryRequest.of("sample").includeDeleted(true).updatedSince(loaded)
        .sortBy("identifier", SortOrder.ASC).select("label", "is_deleted").build();
    List<Map<String, Object>> rows = readWithParquetJava(export(changes, ParquetExport.Options.DEFAULT));
    assertThat(rows).extracting(r -> r.get("identifier")).containsExactly("s-00001", "s-00002");
    assertThat(rows).extracting(r -> r.get("is_deleted")).containsExactly(false, true);
    assertThat(rows.get(0).get("label")).isEqualTo("changed");
    QueryRequest withoutTombstones = changes.toBuilder().includeDeleted(false).build();
    assertThat(readWithParquetJava(export(withoutTombstones, ParquetExport.Options.DEFAULT)))
        .extracting(r -> r.get("identifier")).containsExactly("s-00001");
  }

  @ParameterizedTest
  @MethodSource("backends")
  void selectColumnsNamingMetadataWritesExactlyThoseColumnsPlusIdentifierAndPayloadType(String backend)
      throws IOException {
    open(backend);
    load();
    vx.update(Map.of("s-00013", ResourceUpdate.builder().set("label", "changed").build()));

    QueryRequest selected = QueryRequest.of("sample").sortBy("identifier", SortOrder.ASC)
        .select("version", "count", "license", "updated_at").build();
    Path file = export(selected, ParquetExport.Options.DEFAULT);
    try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(file))) {
      assertThat(reader.getFooter().getFileMetaData().getSchema().getFields()).extracting(Type::getName)
          .containsExactly("identifier", "payload_type", "version", "count", "license", "updated_at");
    }
    List<Map<String, Object>> rows = readWithParquetJava(file);
    assertThat(rows).hasSize(ROWS);
    Map<String, Object> row = rows.get(13);
    Resource r = vx.read(List.of("s-00013")).value().get(0);
    assertThat(row).containsExactly(Map.entry("identifier", "s-00013"), Map.entry("payload_type", "sample"),
        Map.entry("version", 2L), Map.entry("count", r.get("count")), Map.entry("license", "CC-BY-4.0"),
        Map.entry("updated_at", r.updatedAt()));

    QueryRequest metadataOnly = QueryRequest.of("sample").select("created_at").limit(5).build();
    assertThat(readWithParquetJava(export(metadataOnly, ParquetExport.Options.DEFAULT)).get(0).keySet())
        .containsExactly("identifier", "payload_type", "created_at");
  }

  @ParameterizedTest
  @MethodSource("backends")
  void anInvalidRequestWritesNothing(String backend) throws IOException {
    open(backend);
    load();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    QueryRequest bad = QueryRequest.of("sample").filter(Filter.eq("nope", 1)).build();
    assertThatThrownBy(() -> ParquetExport.write(vx, bad, out)).isInstanceOf(ValidationException.class)
        .hasMessageContaining("nope");
    assertThatThrownBy(() -> ParquetExport.write(vx, QueryRequest.of("sample").select("nope").build(), out))
        .isInstanceOf(ValidationException.class).hasMessageContaining("nope");
    assertThatThrownBy(() -> ParquetExport.write(vx, QueryRequest.of("sample").limit(0).build(), out))
        .isInstanceOf(ValidationException.class).hasMessageContaining("limit");
    assertThat(out.size()).isZero();
  }

  private static PrimitiveTypeName primitive(MessageType schema, String column) {
    return schema.getType(column).asPrimitiveType().getPrimitiveTypeName();
  }

  /** Every row through parquet-java's example Group API, converted to the canonical Java types. */
  private static List<Map<String, Object>> readWithParquetJava(Path file) throws IOException {
    List<Map<String, Object>> rows = new ArrayList<>();
    try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(file))) {
      MessageType schema = reader.getFooter().getFileMetaData().getSchema();
      PageReadStore pages;
      while ((pages = reader.readNextRowGroup()) != null) {
        RecordReader<Group> records = new ColumnIOFactory().getColumnIO(schema)
            .getRecordReader(pages, new GroupRecordConverter(schema));
        for (long i = 0; i < pages.getRowCount(); i++) {
          Group g = records.read();
          Map<String, Object> row = new LinkedHashMap<>();
          for (Type field : schema.getFields()) {
            row.put(field.getName(), g.getFieldRepetitionCount(field.getName()) == 0 ? null : value(g, field));
          }
          rows.add(row);
        }
      }
    }
    return rows;
  }

  private static Object value(Group g, Type field) {
    String name = field.getName();
    if (!field.isPrimitive()) {
      Group list = g.getGroup(name, 0);
      List<Object> values = new ArrayList<>();
      Type element = field.asGroupType().getType(0).asGroupType().getType(0);
      for (int k = 0; k < list.getFieldRepetitionCount(0); k++) {
        values.add(scalar(list.getGroup(0, k), element, 0));
      }
      return values;
    }
    return scalar(g, field, g.getType().getFieldIndex(name));
  }

  private static Object scalar(Group g, Type type, int index) {
    LogicalTypeAnnotation annotation = type.getLogicalTypeAnnotation();
    return switch (type.asPrimitiveType().getPrimitiveTypeName()) {
      case BINARY -> g.getString(index, 0);
      case INT64 -> annotation instanceof LogicalTypeAnnotation.TimestampLogicalTypeAnnotation
          ? Instant.EPOCH.plus(g.getLong(index, 0), ChronoUnit.MICROS) : (Object) g.getLong(index, 0);
      case INT32 -> LocalDate.ofEpochDay(g.getInteger(index, 0));
      case DOUBLE -> g.getDouble(index, 0);
      case BOOLEAN -> g.getBoolean(index, 0);
      default -> throw new AssertionError("unexpected column type " + type);
    };
  }
}
