package io.vxdata.bench;

import io.vxdata.NewResource;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/** The study rows both paths write: deterministic, with a unique identifier and external uid each. */
final class StudyRows {

  private static final String[] MODALITIES = {"CT", "MR", "US", "XR", "PT", "MG", "NM"};
  private static final LocalDate FIRST_DATE = LocalDate.of(2000, 1, 1);

  /** One study row's values. */
  record Study(String identifier, String externalUid, LocalDate studyDate, String modality, String description) {}

  private StudyRows() {}

  /** Rows {@code from} (inclusive) to {@code to} (exclusive) of a run whose identifiers start with {@code prefix}. */
  static List<Study> range(String prefix, int from, int to) {
    List<Study> rows = new ArrayList<>(to - from);
    for (int i = from; i < to; i++) {
      rows.add(new Study(
          prefix + "-st-" + i,
          "1.2.826.0.1.3680043.9." + prefix.hashCode() + "." + i,
          FIRST_DATE.plusDays(i % 9000),
          MODALITIES[i % MODALITIES.length],
          "Bench study " + i + " (" + MODALITIES[i % MODALITIES.length] + ")"));
    }
    return rows;
  }

  /** The rows as resources to create under {@code patient}. */
  static List<NewResource> asResources(List<Study> rows, String patient) {
    List<NewResource> out = new ArrayList<>(rows.size());
    for (Study s : rows) {
      out.add(StudyCorpus.resource(s.identifier(), patient, s.externalUid(), s.studyDate(), s.modality(),
          s.description()));
    }
    return out;
  }
}
