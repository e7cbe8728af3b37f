package io.vxdata.schema;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vxdata.ValidationException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;

/** Derives a flat payload JSON Schema from a Java record's components. */
final class RecordSchemas {

  private static final Set<Class<?>> INTEGRAL = Set.of(int.class, long.class, short.class, byte.class, Integer.class,
      Long.class, Short.class, Byte.class, BigInteger.class);
  private static final Set<Class<?>> FLOATING = Set.of(double.class, float.class, Double.class, Float.class,
      BigDecimal.class);

  private RecordSchemas() {}

  static ObjectNode schemaOf(Class<? extends Record> recordClass) {
    ObjectNode schema = JsonNodeFactory.instance.objectNode();
    schema.put("$schema", SchemaParser.DIALECT);
    schema.put("title", recordClass.getSimpleName());
    schema.put("type", "object");
    ObjectNode properties = schema.putObject("properties");
    ArrayNode required = JsonNodeFactory.instance.arrayNode();
    for (RecordComponent component : recordClass.getRecordComponents()) {
      String name = snakeCase(component.getName());
      Type generic = component.getGenericType();
      ObjectNode property = properties.putObject(name);
      if (component.getType() == List.class) {
        if (!(generic instanceof ParameterizedType p) || !(p.getActualTypeArguments()[0] instanceof Class<?> element)) {
          throw ValidationException.of(null, name, "record component %s needs a concrete List element type",
              component.getName());
        }
        property.put("type", "array");
        scalar(property.putObject("items"), element, name);
      } else {
        scalar(property, component.getType(), name);
      }
      if (component.getType().isPrimitive()) {
        required.add(name);
      }
    }
    if (!required.isEmpty()) {
      schema.set("required", required);
    }
    schema.put("additionalProperties", false);
    return schema;
  }

  private static void scalar(ObjectNode property, Class<?> type, String field) {
    if (type == String.class) {
      property.put("type", "string");
    } else if (INTEGRAL.contains(type)) {
      property.put("type", "integer");
    } else if (FLOATING.contains(type)) {
      property.put("type", "number");
    } else if (type == boolean.class || type == Boolean.class) {
      property.put("type", "boolean");
    } else if (type == LocalDate.class) {
      property.put("type", "string").put("format", "date");
    } else if (type == Instant.class || type == OffsetDateTime.class) {
      property.put("type", "string").put("format", "date-time");
    } else if (type.isEnum()) {
      property.put("type", "string");
      ArrayNode values = property.putArray("enum");
      for (Object constant : type.getEnumConstants()) {
        values.add(((Enum<?>) constant).name());
      }
    } else {
      throw ValidationException.of(null, field, "record components of type %s are not supported", type.getName());
    }
  }

  /** {@code studyDate} becomes {@code study_date}. */
  static String snakeCase(String camel) {
    StringBuilder sb = new StringBuilder(camel.length() + 4);
    for (int i = 0; i < camel.length(); i++) {
      char c = camel.charAt(i);
      if (Character.isUpperCase(c)) {
        if (i > 0) {
          sb.append('_');
        }
        sb.append(Character.toLowerCase(c));
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }
}
