package io.vxdata.parquet;

import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;

/**
 * Reads a window of rows from a Parquet file (docs/behaviour.md §9 preview): the footer, then only the row groups
 * that hold rows of {@code [offset, offset + limit)}. Over an {@link InputFile} doing ranged reads
 * (object storage, say) nothing else of the file is fetched.
 */
public final class ParquetPreview {

  /** Largest window a preview returns. */
  public static final int MAX_LIMIT = 1000;

  /**
   * A window of rows.
   *
   * @param columns the top-level column names in file order
   * @param schema each column's type, e.g. {@code string}, {@code int64}, {@code timestamp[us, UTC]}, {@code list<string>}
   * @param totalRows the rows in the whole file (from the footer)
   * @param returnedRows the rows in {@code data}
   * @param offset the first row returned
   * @param data the rows, each a map of column to a JSON-ready value (dates and timestamps as ISO text)
   */
  public record Preview(List<String> columns, Map<String, String> schema, long totalRows, int returnedRows,
      long offset, List<Map<String, Object>> data) {}

  private ParquetPreview() {}

  /**
   * Reads rows {@code offset} to {@code offset + limit - 1} (fewer at the end of the file).
   *
   * @throws IllegalArgumentException if offset is negative or limit outside 1..{@value #MAX_LIMIT}
   * @throws IOException if the file cannot be read or is not Parquet
   */
  public static Preview read(InputFile file, long offset, int limit) throws IOException {
    if (offset < 0) {
      throw new IllegalArgumentException("offset must be >= 0, not " + offset);
    }
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT + ", not " + limit);
    }
    try (ParquetFileReader reader = ParquetFileReader.open(file)) {
      ParquetMetadata footer = reader.getFooter();
      MessageType schema = footer.getFileMetaData().getSchema();
      long total = footer.getBlocks().stream().mapToLong(BlockMetaData::getRowCount).sum();
      List<Map<String, Object>> data = new ArrayList<>();
      long groupStart = 0;
      for (BlockMetaData block : footer.getBlocks()) {
        long rows = block.getRowCount();
        if (data.size() >= limit) {
          break;
        }
        if (groupStart + rows <= offset) {
          reader.skipNextRowGroup();
        } else {
          PageReadStore pages = reader.readNextRowGroup();
          RecordReader<Group> records = new ColumnIOFactory().getColumnIO(schema)
              .getRecordReader(pages, new GroupRecordConverter(schema));
          for (long i = 0; i < rows && data.size() < limit; i++) {
            Group row = records.read();
            if (groupStart + i >= offset) {
              data.add(toMap(row));
            }
          }
        }
        groupStart += rows;
      }
      Map<String, String> types = new LinkedHashMap<>();
      List<String> columns = new ArrayList<>();
      for (Type field : schema.getFields()) {
        columns.add(field.getName());
        types.put(field.getName(), describe(field));
      }
      return new Preview(columns, types, total, data.size(), offset, data);
    }
  }

  private static Map<String, Object> toMap(Group group) {
    GroupType type = group.getType();
    Map<String, Object> row = new LinkedHashMap<>();
    for (int i = 0; i < type.getFieldCount(); i++) {
      row.put(type.getFieldName(i), value(group, i));
    }
    return row;
  }

  private static Object value(Group group, int field) {
    Type type = group.getType().getType(field);
    int count = group.getFieldRepetitionCount(field);
    if (count == 0) {
      return type.isRepetition(Type.Repetition.REPEATED) ? List.of() : null;
    }
    if (type.isRepetition(Type.Repetition.REPEATED)) {
      List<Object> values = new ArrayList<>(count);
      for (int k = 0; k < count; k++) {
        values.add(single(group, field, k, type));
      }
      return values;
    }
    return single(group, field, 0, type);
  }

  private static Object single(Group group, int field, int index, Type type) {
    if (!type.isPrimitive()) {
      Group nested = group.getGroup(field, index);
      if (type.getLogicalTypeAnnotation() instanceof LogicalTypeAnnotation.ListLogicalTypeAnnotation) {
        // 3-level list: group (LIST) { repeated group list { element } }
        List<Object> values = new ArrayList<>();
        int n = nested.getFieldRepetitionCount(0);
        for (int k = 0; k < n; k++) {
          Group entry = nested.getGroup(0, k);
          values.add(entry.getFieldRepetitionCount(0) == 0 ? null : single(entry, 0, 0, entry.getType().getType(0)));
        }
        return values;
      }
      return toMap(nested);
    }
    PrimitiveType primitive = type.asPrimitiveType();
    LogicalTypeAnnotation annotation = primitive.getLogicalTypeAnnotation();
    return switch (primitive.getPrimitiveTypeName()) {
      case BOOLEAN -> group.getBoolean(field, index);
      case INT32 -> annotation instanceof LogicalTypeAnnotation.DateLogicalTypeAnnotation
          ? LocalDate.ofEpochDay(group.getInteger(field, index)).toString() : (Object) group.getInteger(field, index);
      case INT64 -> annotation instanceof LogicalTypeAnnotation.TimestampLogicalTypeAnnotation ts
          ? timestamp(group.getLong(field, index), ts.getUnit()) : (Object) group.getLong(field, index);
      case FLOAT -> group.getFloat(field, index);
      case DOUBLE -> group.getDouble(field, index);
      case BINARY, FIXED_LEN_BYTE_ARRAY -> annotation instanceof LogicalTypeAnnotation.StringLogicalTypeAnnotation
          || annotation instanceof LogicalTypeAnnotation.EnumLogicalTypeAnnotation
          || annotation instanceof LogicalTypeAnnotation.JsonLogicalTypeAnnotation
          ? group.getString(field, index) : group.getBinary(field, index).toStringUsingUTF8();
      case INT96 -> group.getInt96(field, index).toString();
    };
  }

  private static String timestamp(long value, LogicalTypeAnnotation.TimeUnit unit) {
    Instant instant = switch (unit) {
      case MILLIS -> Instant.ofEpochMilli(value);
      case MICROS -> Instant.EPOCH.plus(value, ChronoUnit.MICROS);
      case NANOS -> Instant.EPOCH.plusNanos(value);
    };
    return instant.toString();
  }

  private static String describe(Type type) {
    if (!type.isPrimitive()) {
      if (type.getLogicalTypeAnnotation() instanceof LogicalTypeAnnotation.ListLogicalTypeAnnotation) {
        GroupType repeated = type.asGroupType().getType(0).asGroupType();
        return "list<" + describe(repeated.getType(0)) + ">";
      }
      return "struct";
    }
    LogicalTypeAnnotation annotation = type.getLogicalTypeAnnotation();
    if (annotation instanceof LogicalTypeAnnotation.StringLogicalTypeAnnotation) {
      return "string";
    }
    if (annotation instanceof LogicalTypeAnnotation.DateLogicalTypeAnnotation) {
      return "date";
    }
    if (annotation instanceof LogicalTypeAnnotation.TimestampLogicalTypeAnnotation ts) {
      String unit = switch (ts.getUnit()) {
        case MILLIS -> "ms";
        case MICROS -> "us";
        case NANOS -> "ns";
      };
      return "timestamp[" + unit + (ts.isAdjustedToUTC() ? ", UTC]" : "]");
    }
    return type.asPrimitiveType().getPrimitiveTypeName().name().toLowerCase(java.util.Locale.ROOT);
  }
}
