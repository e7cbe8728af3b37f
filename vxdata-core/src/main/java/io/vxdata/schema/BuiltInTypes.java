package io.vxdata.schema;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The payload types every store has (docs/behaviour.md §2.2): {@code datasource}, {@code patient}, {@code study}, {@code artefact}. */
public final class BuiltInTypes {

  public static final String DATASOURCE = "datasource";
  public static final String PATIENT = "patient";
  public static final String STUDY = "study";
  public static final String ARTEFACT = "artefact";

  /** The payload field that, with the parent, keys a patient or a study among active resources (docs/behaviour.md §5). */
  public static final String EXTERNAL_UID = "external_uid";
  /** The patient field that repeats its parent datasource; stores derive it from the parent. */
  public static final String DATASOURCE_ID = "datasource_id";

  private static final List<PayloadType> ALL = List.of(load(DATASOURCE), load(PATIENT), load(STUDY), load(ARTEFACT));

  private BuiltInTypes() {}

  /** The built-in types, parents before children. */
  public static List<PayloadType> all() {
    return ALL;
  }

  /**
   * Whether resources of {@code typeName} are keyed by (parent, {@link #EXTERNAL_UID}): patients and
   * studies. A key is required, and unique among active resources, on every write path (docs/behaviour.md §12.3).
   */
  public static boolean isKeyed(String typeName) {
    return PATIENT.equals(typeName) || STUDY.equals(typeName);
  }

  private static PayloadType load(String name) {
    try (InputStream in = BuiltInTypes.class.getResourceAsStream(name + ".json")) {
      if (in == null) {
        throw new IllegalStateException("built-in schema " + name + ".json is missing from the jar");
      }
      return PayloadType.fromJsonSchema(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
