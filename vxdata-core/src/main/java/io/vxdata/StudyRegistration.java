package io.vxdata;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One study of a batch registration ({@link VxData#registerStudies}, docs/behaviour.md §5): its key and its other
 * fields.
 *
 * @param patientIdentifier the active patient the study is registered under
 * @param externalUid the study's uid (e.g. an accession number); with the patient, its key
 * @param fields the study's other fields: payload fields (e.g. {@code study_date}, {@code modality}) and the
 *     metadata fields {@code license}, {@code access_level} (an {@link AccessLevel} or its wire name) and
 *     {@code derived_from} (a list of identifiers); empty for none
 */
public record StudyRegistration(String patientIdentifier, String externalUid, Map<String, Object> fields) {

  public StudyRegistration {
    fields = fields == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(fields));
  }

  /** A study with no fields besides its key. */
  public static StudyRegistration of(String patientIdentifier, String externalUid) {
    return new StudyRegistration(patientIdentifier, externalUid, Map.of());
  }

  /** This registration with {@code field} set to {@code value}. */
  public StudyRegistration with(String field, Object value) {
    Map<String, Object> more = new LinkedHashMap<>(fields);
    more.put(Objects.requireNonNull(field, "field"), value);
    return new StudyRegistration(patientIdentifier, externalUid, more);
  }
}
