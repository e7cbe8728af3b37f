package io.vxdata.jdbc.internal;

import io.vxdata.AccessLevel;
import io.vxdata.Resource;
import io.vxdata.schema.BuiltInTypes;
import io.vxdata.schema.FieldType;
import io.vxdata.schema.PayloadField;
import io.vxdata.schema.PayloadType;
import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.CRC32;
import org.jdbi.v3.core.argument.Argument;

/**
 * The two tables of one payload type and how its resources map to their rows.
 *
 * <p>{@code vxc_<type>} holds the current version of each identifier (tombstones included),
 * {@code vxh_<type>} every superseded version with {@code _sys_to}, the transaction time that
 * replaced it. A version is valid from its {@code updated_at} until its {@code _sys_to} (the
 * current one until further notice), so the state as of {@code t} is
 * {@code updated_at <= t} in the current table plus {@code updated_at <= t < _sys_to} in history.
 * Payload fields are typed columns named as the field, always quoted; system columns start with
 * {@code _}, which no field name can, so the two never clash.
 *
 * <p>Keyed types (patients and studies, docs/behaviour.md §12.3) have one more column in the current table,
 * {@code _active}: {@code TRUE} for an active row, {@code NULL} for a tombstone. A unique index over
 * (parent, external uid, {@code _active}) then holds the key among active rows only, on H2 (which has
 * no partial indexes) and PostgreSQL alike, since NULLs never collide in a unique index.
 */
final class TypeTable {

  /** Metadata columns in the order every statement lists them. */
  static final List<String> METADATA_COLUMNS = List.of("identifier", "parent_identifier", "license", "access_level",
      "derived_from", "is_deleted", "version", "created_at", "updated_at", "created_by", "updated_by");

  /**
   * The system column holding the datasource at the root of a version's subtree (docs/behaviour.md §13.2), null when
   * the tree above it has no datasource at its top. Set on create; on a move across datasources it
   * is rewritten in place for the whole subtree's current rows (see docs/behaviour.md §13.2).
   */
  static final String ROOT = "_root";

  private final PayloadType type;
  private final Dialect dialect;
  private final String current;
  private final String history;
  private final String columns;
  private final boolean keyed;

  /** The marker column of keyed current tables. */
  static final String ACTIVE_MARKER = "_active";

  TypeTable(PayloadType type, Dialect dialect) {
    this.type = type;
    this.dialect = dialect;
    this.current = "vxc_" + type.name();
    this.history = "vxh_" + type.name();
    List<String> all = new ArrayList<>(METADATA_COLUMNS);
    type.fields().forEach(f -> all.add(quote(f.name())));
    this.columns = String.join(", ", all);
    this.keyed = BuiltInTypes.isKeyed(type.name()) && type.field(BuiltInTypes.EXTERNAL_UID).isPresent();
  }

  /** Whether this type's resources carry a key unique among active ones (patients and studies). */
  boolean keyed() {
    return keyed;
  }

  /** The columns an insert into the current table lists: {@link #rowColumns()}, plus the marker if keyed. */
  String insertColumns() {
    return keyed ? rowColumns() + ", " + ACTIVE_MARKER : rowColumns();
  }

  /** Every column a version carries from the current table into history: {@link #columns()} and the root. */
  String rowColumns() {
    return columns + ", " + ROOT;
  }

  /** The position of {@link #ROOT} in a row that selects {@link #rowColumns()}. */
  int rootPosition() {
    return PAYLOAD_START + type.fields().size();
  }

  /**
   * The statements that give tables created before access control (docs/behaviour.md §13) their audit and root
   * columns; existing versions were written by {@code system}. Idempotent.
   */
  static List<String> auditStatements(String tableName, Dialect dialect) {
    String id = dialect.textType(255);
    return List.of("ALTER TABLE " + tableName + " ADD COLUMN IF NOT EXISTS created_by " + id + " DEFAULT 'system' NOT NULL",
        "ALTER TABLE " + tableName + " ADD COLUMN IF NOT EXISTS updated_by " + id + " DEFAULT 'system' NOT NULL",
        "ALTER TABLE " + tableName + " ADD COLUMN IF NOT EXISTS " + ROOT + " " + id);
  }

  /** The index on the root column of the current table, which the visibility predicate probes. */
  String rootIndexStatement() {
    return "CREATE INDEX IF NOT EXISTS " + current + "_root ON " + current + " (" + ROOT + ")";
  }

  /** The name of the index on {@code (updated_at, identifier)} of the current table. */
  String updatedIndex() {
    return current + "_updated";
  }

  /**
   * The index that serves {@code updated_since} (docs/behaviour.md §14.3) and pages sorted by
   * {@code updated_at}: a range seek on the versions written after a time.
   */
  String updatedIndexStatement() {
    return "CREATE INDEX IF NOT EXISTS " + updatedIndex() + " ON " + current + " (updated_at, identifier)";
  }

  /** The name of the index on {@code (updated_at, identifier)} of the history table. */
  String historyUpdatedIndex() {
    return history + "_updated";
  }

  /**
   * The index the change feed (docs/behaviour.md §14.2) seeks in history, as it seeks
   * {@link #updatedIndex()} in the current table: the versions written after a position, in order.
   */
  String historyUpdatedIndexStatement() {
    return "CREATE INDEX IF NOT EXISTS " + historyUpdatedIndex() + " ON " + history + " (updated_at, identifier)";
  }

  /** The name of the unique index holding the key of a keyed type among its active rows. */
  String keyIndex() {
    return current + "_key";
  }

  /** The statements that give a keyed current table created before keys were enforced its marker column. */
  List<String> markerStatements() {
    return List.of("ALTER TABLE " + current + " ADD COLUMN IF NOT EXISTS " + ACTIVE_MARKER + " BOOLEAN",
        "UPDATE " + current + " SET " + ACTIVE_MARKER + " = CASE WHEN is_deleted THEN NULL ELSE TRUE END");
  }

  /**
   * A query for the keys held by more than one active row (possible in stores written before keys
   * were enforced): the identifiers holding them, comma-separated, per key.
   */
  String duplicateKeysQuery() {
    String uid = quote(BuiltInTypes.EXTERNAL_UID);
    return "SELECT parent_identifier, " + uid + ", identifier FROM " + current + " c WHERE NOT is_deleted AND "
        + uid + " IS NOT NULL AND EXISTS (SELECT 1 FROM " + current + " o WHERE NOT o.is_deleted AND o.identifier"
        + " <> c.identifier AND o.parent_identifier = c.parent_identifier AND o." + uid + " = c." + uid + ")"
        + " ORDER BY parent_identifier, " + uid + ", identifier";
  }

  String keyIndexStatement() {
    return "CREATE UNIQUE INDEX IF NOT EXISTS " + keyIndex() + " ON " + current + " (parent_identifier, "
        + quote(BuiltInTypes.EXTERNAL_UID) + ", " + ACTIVE_MARKER + ")";
  }

  PayloadType type() {
    return type;
  }

  String name() {
    return type.name();
  }

  /** The current-versions table. */
  String current() {
    return current;
  }

  /** The superseded-versions table. */
  String history() {
    return history;
  }

  /** Every column of a version row, metadata first, comma-separated. */
  String columns() {
    return columns;
  }

  /** A payload field's column name, quoted so that SQL keywords are fine field names. */
  static String quote(String fieldName) {
    return '"' + fieldName + '"';
  }

  /** The statements that create both tables and their indexes; each is idempotent. */
  List<String> createStatements() {
    String id = dialect.textType(255);
    StringBuilder cols = new StringBuilder()
        .append("identifier ").append(id).append(" NOT NULL, ")
        .append("parent_identifier ").append(id).append(", ")
        .append("license VARCHAR(255), ")
        .append("access_level SMALLINT NOT NULL, ")
        .append("derived_from VARCHAR(255) ARRAY NOT NULL, ")
        .append("is_deleted BOOLEAN NOT NULL, ")
        .append("version BIGINT NOT NULL, ")
        .append("created_at TIMESTAMP(6) WITH TIME ZONE NOT NULL, ")
        .append("updated_at TIMESTAMP(6) WITH TIME ZONE NOT NULL, ")
        // The default is what the migration gave versions written before audit fields (docs/behaviour.md §13.6).
        .append("created_by ").append(id).append(" DEFAULT 'system' NOT NULL, ")
        .append("updated_by ").append(id).append(" DEFAULT 'system' NOT NULL, ")
        .append(ROOT).append(" ").append(id);
    for (PayloadField field : type.fields()) {
      cols.append(", ").append(columnDefinition(field));
    }
    List<String> ddl = new ArrayList<>();
    String marker = keyed ? ", " + ACTIVE_MARKER + " BOOLEAN" : "";
    ddl.add("CREATE TABLE IF NOT EXISTS " + current + " (" + cols + marker + ", PRIMARY KEY (identifier))");
    ddl.add("CREATE TABLE IF NOT EXISTS " + history + " (" + cols
        + ", _sys_to TIMESTAMP(6) WITH TIME ZONE NOT NULL, PRIMARY KEY (identifier, version))");
    // Children lookups, and pages scoped by parent in the default order, seek this one index.
    ddl.add("CREATE INDEX IF NOT EXISTS " + current + "_parent ON " + current
        + " (parent_identifier, created_at, identifier)");
    ddl.add("CREATE INDEX IF NOT EXISTS " + current + "_created ON " + current + " (created_at, identifier)");
    ddl.add(rootIndexStatement());
    ddl.add(updatedIndexStatement());
    ddl.add("CREATE INDEX IF NOT EXISTS " + history + "_parent ON " + history + " (parent_identifier)");
    // Reads at the latest time find no history row valid then; this index makes that check free.
    ddl.add("CREATE INDEX IF NOT EXISTS " + history + "_to ON " + history + " (_sys_to)");
    ddl.add(historyUpdatedIndexStatement());
    for (PayloadField field : type.fields()) {
      ddl.addAll(indexStatements(field));
    }
    if (keyed) {
      ddl.add(keyIndexStatement());
    }
    return ddl;
  }

  /** The statements that add a new optional field to both tables. */
  List<String> addFieldStatements(PayloadField field) {
    List<String> ddl = new ArrayList<>();
    ddl.add("ALTER TABLE " + current + " ADD COLUMN IF NOT EXISTS " + columnDefinition(field));
    ddl.add("ALTER TABLE " + history + " ADD COLUMN IF NOT EXISTS " + columnDefinition(field));
    ddl.addAll(indexStatements(field));
    return ddl;
  }

  /**
   * The indexes a field marked {@code x-vxdata-index} gets, on the current table and on history (so
   * that queries in the past can use them too): on the field, then the fields it names (a composite
   * index), then the identifier; list fields are not indexed. Named by a checksum of the field names,
   * so an index on one field keeps the name it always had.
   */
  List<String> indexStatements(PayloadField field) {
    if (!field.indexed() || field.list()) {
      return List.of();
    }
    List<String> fields = new ArrayList<>(List.of(field.name()));
    fields.addAll(field.indexWith());
    CRC32 crc = new CRC32();
    crc.update(String.join(",", fields).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    String suffix = type.name() + "_" + String.format("%08x", crc.getValue());
    String columns = " (" + String.join(", ", fields.stream().map(TypeTable::quote).toList()) + ", identifier)";
    return List.of("CREATE INDEX IF NOT EXISTS vxi_" + suffix + " ON " + current + columns,
        "CREATE INDEX IF NOT EXISTS vxj_" + suffix + " ON " + history + columns);
  }

  private String columnDefinition(PayloadField field) {
    return quote(field.name()) + " " + dialect.columnType(field.type(), field.list());
  }

  /** Maps a row holding {@link #columns()} to a resource without children. */
  Resource map(ResultSet rs) throws SQLException {
    boolean[] all = new boolean[type.fields().size()];
    java.util.Arrays.fill(all, true);
    return map(rs, type.fields(), all);
  }

  /** Which of {@code columnFields} are among {@code returned}: worked out once, not for every row. */
  static boolean[] returnedColumns(List<PayloadField> columnFields, List<PayloadField> returned) {
    boolean[] mask = new boolean[columnFields.size()];
    for (int i = 0; i < mask.length; i++) {
      mask[i] = returned.contains(columnFields.get(i));
    }
    return mask;
  }

  /**
   * Maps a row holding the metadata columns, in {@link #METADATA_COLUMNS} order, then the columns of
   * {@code columnFields}, to a resource without children whose payload holds the fields marked in
   * {@code returned}. Columns are read by position: by label, drivers search the column names on
   * every read.
   */
  Resource map(ResultSet rs, List<PayloadField> columnFields, boolean[] returned) throws SQLException {
    Map<String, Object> payload = new LinkedHashMap<>();
    for (int i = 0; i < columnFields.size(); i++) {
      PayloadField field = columnFields.get(i);
      if (returned[i]) {
        payload.put(field.name(), readField(rs, PAYLOAD_START + i, field));
      }
    }
    return new Resource(
        rs.getString(1),
        rs.getString(2),
        type.name(),
        rs.getString(3),
        AccessLevel.values()[rs.getShort(4)],
        stringList(rs.getArray(5)),
        rs.getBoolean(6),
        rs.getLong(7),
        instant(rs, 8),
        instant(rs, 9),
        rs.getString(10),
        rs.getString(11),
        payload,
        Optional.empty());
  }

  /** The position of the first payload column of a row that starts with the metadata columns. */
  static final int PAYLOAD_START = METADATA_COLUMNS.size() + 1;

  /**
   * Binds {@code r} to the placeholders of {@link #insertColumns()} of a plain statement. The batch insert
   * uses this rather than Jdbi arguments: per-argument wrapping cost a fifth of a bulk create.
   */
  void bind(PreparedStatement st, Resource r, String root) throws SQLException {
    int i = 1;
    st.setString(i++, r.identifier());
    st.setString(i++, r.parentIdentifier());
    st.setString(i++, r.license());
    st.setShort(i++, (short) r.accessLevel().ordinal());
    st.setArray(i++, createArray(st, FieldType.STRING, r.derivedFrom()));
    st.setBoolean(i++, r.isDeleted());
    st.setLong(i++, r.version());
    st.setObject(i++, OffsetDateTime.ofInstant(r.createdAt(), ZoneOffset.UTC));
    st.setObject(i++, OffsetDateTime.ofInstant(r.updatedAt(), ZoneOffset.UTC));
    st.setString(i++, r.createdBy());
    st.setString(i++, r.updatedBy());
    for (PayloadField field : type.fields()) {
      field(field, r.payload().get(field.name())).apply(i++, st, null);
    }
    st.setString(i++, root);
    if (keyed) {
      if (r.isDeleted()) {
        st.setNull(i, Types.BOOLEAN);
      } else {
        st.setBoolean(i, true);
      }
    }
  }

  /** An argument binding a canonical payload value of {@code field}. */
  Argument field(PayloadField field, Object value) {
    if (field.list()) {
      return value == null ? (i, st, ctx) -> st.setNull(i, Types.ARRAY) : array(field.type(), (List<?>) value);
    }
    return scalar(field.type(), value);
  }

  /** An argument binding a canonical scalar value of {@code type}. */
  static Argument scalar(FieldType type, Object value) {
    if (value == null) {
      int sqlType = switch (type) {
        case STRING -> Types.VARCHAR;
        case INTEGER -> Types.BIGINT;
        case NUMBER -> Types.DOUBLE;
        case BOOLEAN -> Types.BOOLEAN;
        case DATE -> Types.DATE;
        case DATE_TIME -> Types.TIMESTAMP_WITH_TIMEZONE;
      };
      return (i, st, ctx) -> st.setNull(i, sqlType);
    }
    return switch (type) {
      case STRING -> Sql.text((String) value);
      case INTEGER -> (i, st, ctx) -> st.setLong(i, (Long) value);
      case NUMBER -> (i, st, ctx) -> st.setDouble(i, (Double) value);
      case BOOLEAN -> (i, st, ctx) -> st.setBoolean(i, (Boolean) value);
      case DATE -> (i, st, ctx) -> st.setObject(i, value);
      case DATE_TIME -> Sql.time((Instant) value);
    };
  }

  /** A SQL array of canonical values; dates and date-times travel as ISO text, which both databases cast. */
  Argument array(FieldType type, List<?> values) {
    return (i, st, ctx) -> st.setArray(i, createArray(st, type, values));
  }

  private Array createArray(PreparedStatement st, FieldType type, List<?> values) throws SQLException {
    Object[] elements = new Object[values.size()];
    for (int k = 0; k < elements.length; k++) {
      Object v = values.get(k);
      elements[k] = v instanceof Instant instant && dialect == Dialect.H2
          ? OffsetDateTime.ofInstant(instant, ZoneOffset.UTC) : v instanceof Instant ? v.toString() : v;
    }
    return st.getConnection().createArrayOf(dialect.arrayElementType(type), elements);
  }

  static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
    return value == null ? null : value.toInstant();
  }

  static Instant instant(ResultSet rs, int column) throws SQLException {
    OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
    return value == null ? null : value.toInstant();
  }

  /** The canonical value of {@code field} in column {@code column}. */
  static Object readField(ResultSet rs, int column, PayloadField field) throws SQLException {
    if (field.list()) {
      Array array = rs.getArray(column);
      if (array == null) {
        return null;
      }
      Object[] raw = (Object[]) array.getArray();
      List<Object> values = new ArrayList<>(raw.length);
      for (Object element : raw) {
        values.add(element(field.type(), element));
      }
      return List.copyOf(values);
    }
    Object value = switch (field.type()) {
      case STRING -> rs.getString(column);
      case INTEGER -> rs.getLong(column);
      case NUMBER -> rs.getDouble(column);
      case BOOLEAN -> rs.getBoolean(column);
      case DATE -> rs.getObject(column, LocalDate.class);
      case DATE_TIME -> instant(rs, column);
    };
    return rs.wasNull() ? null : value;
  }

  /** Normalizes an array element as the drivers return it to the canonical Java type. */
  private static Object element(FieldType type, Object element) {
    return switch (type) {
      case STRING, BOOLEAN -> element;
      case INTEGER -> ((Number) element).longValue();
      case NUMBER -> ((Number) element).doubleValue();
      case DATE -> element instanceof java.sql.Date d ? d.toLocalDate() : (LocalDate) element;
      case DATE_TIME -> element instanceof Timestamp t ? t.toInstant()
          : element instanceof OffsetDateTime o ? o.toInstant() : (Instant) element;
    };
  }

  private static List<String> stringList(Array array) throws SQLException {
    if (array == null) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (Object o : (Object[]) array.getArray()) {
      out.add((String) o);
    }
    return out;
  }
}
