package io.vxdata;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One patient of a batch registration ({@link VxData#registerPatients}, docs/behaviour.md §5): its key and its other
 * fields.
 *
 * @param datasourceId the active datasource the patient is registered under
 * @param externalUid the patient's uid at that datasource; with the datasource, its key
 * @param fields the patient's other fields: payload fields (e.g. {@code sex}, {@code birth_year}) and the
 *     metadata fields {@code license}, {@code access_level} (an {@link AccessLevel} or its wire name) and
 *     {@code derived_from} (a list of identifiers); empty for none
 */
public record PatientRegistration(String datasourceId, String externalUid, Map<String, Object> fields) {

  public PatientRegistration {
    fields = fields == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(fields));
  }

  /** A patient with no fields besides its key. */
  public static PatientRegistration of(String datasourceId, String externalUid) {
    return new PatientRegistration(datasourceId, externalUid, Map.of());
  }

  /** This registration with {@code field} set to {@code value}. */
  public PatientRegistration with(String field, Object value) {
    Map<String, Object> more = new LinkedHashMap<>(fields);
    more.put(Objects.requireNonNull(field, "field"), value);
    return new PatientRegistration(datasourceId, externalUid, more);
  }
}
