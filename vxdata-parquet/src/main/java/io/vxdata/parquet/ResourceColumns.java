package io.vxdata.parquet;

import io.vxdata.AccessLevel;
import io.vxdata.Fields;
import io.vxdata.Resource;
import io.vxdata.ValidationException;
import io.vxdata.schema.FieldType;
import io.vxdata.schema.PayloadField;
import io.vxdata.schema.PayloadType;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimeUnit;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Type.Repetition;
import org.apache.parquet.schema.Types;

/**
 * The Parquet columns of a query's rows (docs/behaviour.md §8): metadata then payload fields, typed from the schema
 * (string → UTF8, integer → INT64, number → DOUBLE, boolean, date → DATE, date-time →
 * TIMESTAMP(MICROS, UTC), lists → 3-level LIST), and how a resource is written into them.
 */
final class ResourceColumns {

  /** One column: its name, scalar type, whether a list, and whether it may be null. */
  private record Column(String name, FieldType type, boolean list, boolean nullable) {}

  private static final List<Column> METADATA = List.of(
      new Column(Fields.IDENTIFIER, FieldType.STRING, false, false),
      new Column(Fields.PARENT_IDENTIFIER, FieldType.STRING, false, true),
      new Column(Fields.PAYLOAD_TYPE, FieldType.STRING, false, false),
      new Column(Fields.LICENSE, FieldType.STRING, false, true),
      new Column(Fields.ACCESS_LEVEL, FieldType.STRING, false, false),
      new Column(Fields.DERIVED_FROM, FieldType.STRING, true, false),
      new Column(Fields.IS_DELETED, FieldType.BOOLEAN, false, false),
      new Column(Fields.VERSION, FieldType.INTEGER, false, false),
      new Column(Fields.CREATED_AT, FieldType.DATE_TIME, false, false),
      new Column(Fields.UPDATED_AT, FieldType.DATE_TIME, false, false),
      new Column(Fields.CREATED_BY, FieldType.STRING, false, true),
      new Column(Fields.UPDATED_BY, FieldType.STRING, false, true));

  private final List<Column> columns;
  private final MessageType schema;

  private ResourceColumns(List<Column> columns, String typeName) {
    this.columns = columns;
    List<Type> fields = new ArrayList<>();
    for (Column c : columns) {
      fields.add(parquetType(c));
    }
    this.schema = new MessageType(typeName, fields);
  }

  /**
   * The columns of a query of {@code type}: all fields, or with {@code selectColumns} the
   * identifier, the payload type and the selected fields in the order given.
   *
   * @throws ValidationException if a selected column is not a field of the type
   */
  static ResourceColumns of(PayloadType type, List<String> selectColumns) {
    List<Column> columns = new ArrayList<>();
    if (selectColumns == null) {
      columns.addAll(METADATA);
      type.fields().forEach(f -> columns.add(payloadColumn(f)));
    } else {
      Set<String> names = new LinkedHashSet<>();
      names.add(Fields.IDENTIFIER);
      names.add(Fields.PAYLOAD_TYPE);
      names.addAll(selectColumns);
      for (String name : names) {
        Column meta = METADATA.stream().filter(c -> c.name().equals(name)).findFirst().orElse(null);
        PayloadField field = type.field(name).orElse(null);
        if (meta == null && field == null) {
          throw ValidationException.of(null, "select_columns", "unknown field '%s' for payload type '%s'", name,
              type.name());
        }
        columns.add(meta != null ? meta : payloadColumn(field));
      }
    }
    return new ResourceColumns(List.copyOf(columns), type.name());
  }

  private static Column payloadColumn(PayloadField f) {
    return new Column(f.name(), f.type(), f.list(), !f.required());
  }

  MessageType schema() {
    return schema;
  }

  private static Type parquetType(Column c) {
    Repetition repetition = c.nullable() ? Repetition.OPTIONAL : Repetition.REQUIRED;
    LogicalTypeAnnotation annotation = primitiveAnnotation(c.type());
    if (c.list()) {
      var element = Types.list(repetition).requiredElement(primitive(c.type()));
      return (annotation == null ? element : element.as(annotation)).named(c.name());
    }
    var column = Types.primitive(primitive(c.type()), repetition);
    return (annotation == null ? column : column.as(annotation)).named(c.name());
  }

  private static PrimitiveTypeName primitive(FieldType type) {
    return switch (type) {
      case STRING -> PrimitiveTypeName.BINARY;
      case INTEGER, DATE_TIME -> PrimitiveTypeName.INT64;
      case NUMBER -> PrimitiveTypeName.DOUBLE;
      case BOOLEAN -> PrimitiveTypeName.BOOLEAN;
      case DATE -> PrimitiveTypeName.INT32;
    };
  }

  private static LogicalTypeAnnotation primitiveAnnotation(FieldType type) {
    return switch (type) {
      case STRING -> LogicalTypeAnnotation.stringType();
      case DATE -> LogicalTypeAnnotation.dateType();
      case DATE_TIME -> LogicalTypeAnnotation.timestampType(true, TimeUnit.MICROS);
      default -> null;
    };
  }

  /** Writes one resource as one record. */
  void write(Resource r, RecordConsumer out) {
    out.startMessage();
    for (int i = 0; i < columns.size(); i++) {
      Column c = columns.get(i);
      Object value = value(r, c.name());
      if (value == null) {
        if (!c.nullable()) {
          throw new IllegalStateException("column " + c.name() + " of " + r.identifier() + " is null");
        }
        continue;
      }
      out.startField(c.name(), i);
      if (c.list()) {
        out.startGroup();
        List<?> elements = (List<?>) value;
        if (!elements.isEmpty()) {
          out.startField("list", 0);
          for (Object element : elements) {
            out.startGroup();
            out.startField("element", 0);
            add(out, c.type(), element);
            out.endField("element", 0);
            out.endGroup();
          }
          out.endField("list", 0);
        }
        out.endGroup();
      } else {
        add(out, c.type(), value);
      }
      out.endField(c.name(), i);
    }
    out.endMessage();
  }

  private static Object value(Resource r, String name) {
    Object value = r.value(name);
    return value instanceof AccessLevel level ? level.wireName() : value;
  }

  private static void add(RecordConsumer out, FieldType type, Object value) {
    switch (type) {
      case STRING -> out.addBinary(Binary.fromString((String) value));
      case INTEGER -> out.addLong((Long) value);
      case NUMBER -> out.addDouble((Double) value);
      case BOOLEAN -> out.addBoolean((Boolean) value);
      case DATE -> out.addInteger(Math.toIntExact(((LocalDate) value).toEpochDay()));
      case DATE_TIME -> out.addLong(ChronoUnit.MICROS.between(Instant.EPOCH, (Instant) value));
    }
  }
}
