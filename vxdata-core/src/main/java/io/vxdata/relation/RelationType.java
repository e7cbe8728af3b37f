package io.vxdata.relation;

import io.vxdata.ValidationException;
import java.util.regex.Pattern;

/**
 * A registered relation (docs/behaviour.md §15.1): links named {@code name} go from a resource of
 * {@code sourceType} to one of {@code targetType}.
 *
 * @param name the relation's name, {@code [a-z][a-z0-9_]*}, at most 50 characters
 * @param sourceType the payload type of every link's {@code from} end
 * @param targetType the payload type of every link's {@code to} end
 * @param targetsPerSource how many targets one source may be linked to at a time (a patient has
 *     {@link Cardinality#ONE} family)
 * @param sourcesPerTarget how many sources one target may be linked from at a time (a family has
 *     {@link Cardinality#MANY} members)
 */
public record RelationType(String name, String sourceType, String targetType, Cardinality targetsPerSource,
    Cardinality sourcesPerTarget) {

  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,49}");

  /**
   * @throws ValidationException naming the field if a name is malformed or a cardinality missing
   */
  public RelationType {
    checkName(name, "name");
    checkName(sourceType, "source_type");
    checkName(targetType, "target_type");
    if (targetsPerSource == null) {
      throw ValidationException.of(null, "targets_per_source", "is required: one or many");
    }
    if (sourcesPerTarget == null) {
      throw ValidationException.of(null, "sources_per_target", "is required: one or many");
    }
  }

  /** A relation where each source has at most one target and each target any number of sources. */
  public static RelationType manyToOne(String name, String sourceType, String targetType) {
    return new RelationType(name, sourceType, targetType, Cardinality.ONE, Cardinality.MANY);
  }

  private static void checkName(String value, String field) {
    if (value == null || !NAME.matcher(value).matches()) {
      throw ValidationException.of(null, field, "must match [a-z][a-z0-9_]* (at most 50 characters), not %s",
          value == null ? "null" : "'" + value + "'");
    }
  }

  @Override
  public String toString() {
    return name + " (" + sourceType + " → " + targetType + ", " + targetsPerSource.wireName() + " per "
        + sourceType + ", " + sourcesPerTarget.wireName() + " per " + targetType + ")";
  }
}
