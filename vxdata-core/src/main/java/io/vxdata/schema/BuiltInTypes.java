package io.vxdata.schema;

import io.vxdata.relation.RelationType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The payload types every store has (docs/behaviour.md §2.2): {@code datasource}, {@code patient}, {@code study},
 * {@code artefact}, {@code family}; and the relation every store has, {@link #MEMBER_OF_RELATION} (§15.1).
 */
public final class BuiltInTypes {

  public static final String DATASOURCE = "datasource";
  public static final String PATIENT = "patient";
  public static final String STUDY = "study";
  public static final String ARTEFACT = "artefact";
  /** A group of patients under a datasource; patients join it by {@link #MEMBER_OF}. */
  public static final String FAMILY = "family";
  /** The name of the built-in relation from a patient to its family. */
  public static final String MEMBER_OF = "member_of";
  /** {@code member_of}: patient to family, one family per patient, many patients per family. */
  public static final RelationType MEMBER_OF_RELATION = RelationType.manyToOne(MEMBER_OF, PATIENT, FAMILY);

  /** The payload field that, with the parent, keys a patient or a study among active resources (docs/behaviour.md §5). */
  public static final String EXTERNAL_UID = "external_uid";
  /** The patient field that repeats its parent datasource; stores derive it from the parent. */
  public static final String DATASOURCE_ID = "datasource_id";

  private static final List<PayloadType> ALL = List.of(load(DATASOURCE), load(PATIENT), load(STUDY), load(ARTEFACT),
      load(FAMILY));

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
