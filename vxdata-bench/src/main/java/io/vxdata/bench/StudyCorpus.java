package io.vxdata.bench;

import io.vxdata.NewResource;
import io.vxdata.ResourceUpdate;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The data set of the query scenario: {@value #DATASOURCES} datasources, {@code studies / 10}
 * patients spread over them round-robin, and {@code studies} studies spread over the patients (ten
 * each), with deterministic pseudo-random payloads so that filters are selective: a modality from a
 * small skewed set, a study date anywhere in 2000-2024 (independent of creation order) and a
 * description. Every fifth study is updated three times.
 */
final class StudyCorpus {

  static final int DATASOURCES = 10;
  /** Each update round rewrites the description; the last one also moves the study date a day on. */
  static final int UPDATE_ROUNDS = 3;

  private static final LocalDate FIRST_DATE = LocalDate.of(2000, 1, 1);
  private static final int DAYS = 9131; // 2000-01-01 .. 2024-12-31
  private static final String[] SEXES = {"F", "M", "O", "U"};
  private static final String[] BODY_PARTS = {"head", "chest", "abdomen", "pelvis", "spine", "knee", "shoulder",
      "breast", "heart", "whole body"};

  /** One study's values. */
  record Study(String identifier, String parent, String externalUid, LocalDate studyDate, String modality,
      String description) {}

  private final String prefix;
  private final int studies;
  private final int patients;

  StudyCorpus(String prefix, int studies) {
    this.prefix = prefix;
    this.studies = studies;
    this.patients = Math.max(1, studies / 10);
  }

  int studies() {
    return studies;
  }

  int patients() {
    return patients;
  }

  String datasource(int d) {
    return prefix + "-ds-" + d;
  }

  String patient(int p) {
    return prefix + "-pt-" + p;
  }

  List<NewResource> datasources() {
    List<NewResource> out = new ArrayList<>();
    for (int d = 0; d < DATASOURCES; d++) {
      out.add(NewResource.builder("datasource", datasource(d)).set("name", "Bench datasource " + d)
          .set("site", "Site " + (char) ('A' + d)).build());
    }
    return out;
  }

  /** Patients {@code from} (inclusive) to {@code to} (exclusive); patient p is under datasource p mod 10. */
  List<NewResource> patients(int from, int to) {
    List<NewResource> out = new ArrayList<>(to - from);
    for (int p = from; p < to; p++) {
      String ds = datasource(p % DATASOURCES);
      out.add(NewResource.builder("patient", patient(p)).parent(ds)
          .set("datasource_id", ds)
          .set("external_uid", "MRN" + (1_000_000 + p))
          .set("sex", SEXES[p % SEXES.length])
          .set("birth_year", 1930L + (p * 37L) % 85)
          .build());
    }
    return out;
  }

  /** Study {@code i} as created (before any update). */
  Study study(int i) {
    long h = mix(i);
    int m = (int) Long.remainderUnsigned(h, 100);
    String modality = m < 30 ? "CT" : m < 55 ? "XR" : m < 73 ? "MR" : m < 88 ? "US" : m < 94 ? "MG" : m < 98 ? "PT"
        : "NM";
    LocalDate date = FIRST_DATE.plusDays(Long.remainderUnsigned(h >>> 8, DAYS));
    String part = BODY_PARTS[(int) Long.remainderUnsigned(h >>> 32, BODY_PARTS.length)];
    // Ten studies per patient, spread so that each patient's studies are created far apart.
    int patient = (int) ((i * 7919L) % patients);
    return new Study(prefix + "-st-" + i, patient(patient), "1.2.826.0.1.3680043.9.7." + i, date, modality,
        modality + " " + part + ", accession A" + (10_000_000 + i));
  }

  List<NewResource> studies(int from, int to) {
    List<NewResource> out = new ArrayList<>(to - from);
    for (int i = from; i < to; i++) {
      Study s = study(i);
      out.add(resource(s.identifier(), s.parent(), s.externalUid(), s.studyDate(), s.modality(), s.description()));
    }
    return out;
  }

  /** A study to create, with the four payload fields both bench corpora fill. */
  static NewResource resource(String identifier, String parent, String externalUid, LocalDate studyDate,
      String modality, String description) {
    return NewResource.builder("study", identifier).parent(parent)
        .set("external_uid", externalUid)
        .set("study_date", studyDate)
        .set("modality", modality)
        .set("description", description)
        .build();
  }

  /** Whether study {@code i} is one of the updated fifth. */
  static boolean updated(int i) {
    return i % 5 == 0;
  }

  /** Round {@code round} (1-based) of the updates of the updated studies among {@code from} to {@code to}. */
  Map<String, ResourceUpdate> updates(int from, int to, int round) {
    Map<String, ResourceUpdate> out = new LinkedHashMap<>();
    for (int i = from; i < to; i++) {
      if (!updated(i)) {
        continue;
      }
      Study s = study(i);
      ResourceUpdate.Builder u = ResourceUpdate.builder().set("description", s.description() + " (revision " + round
          + ")");
      if (round == UPDATE_ROUNDS) {
        u.set("study_date", s.studyDate().plusDays(1));
      }
      out.put(s.identifier(), u.build());
    }
    return out;
  }

  /**
   * Creates the whole corpus (datasources, patients, studies) through {@link io.vxdata.VxData#create}
   * in calls of {@code batch}, printing progress; returns a line for the notes.
   */
  String load(io.vxdata.VxData vx, int batch, String label) {
    long t = System.nanoTime();
    vx.create(datasources());
    for (int p = 0; p < patients; p += batch) {
      vx.create(patients(p, Math.min(patients, p + batch)));
    }
    double patientSeconds = (System.nanoTime() - t) / 1e9;
    t = System.nanoTime();
    int step = Math.max(batch, studies / 5 / batch * batch);
    for (int i = 0; i < studies; i += batch) {
      vx.create(studies(i, Math.min(studies, i + batch)));
      if ((i + batch) % step == 0) {
        BenchMain.progress("%s: %,d of %,d studies created", label, i + batch, studies);
      }
    }
    double studySeconds = (System.nanoTime() - t) / 1e9;
    return String.format(java.util.Locale.ROOT, "load: %,d datasources + %,d patients in %.1f s, %,d studies in %.1f s"
        + " (%,.0f studies/s through VxData.create, %,d per call)", DATASOURCES, patients, patientSeconds, studies,
        studySeconds, studies / studySeconds, batch);
  }

  /** splitmix64: a well-spread deterministic hash of the row number. */
  private static long mix(long x) {
    long z = x * 0x9E3779B97F4A7C15L + 0x632BE59BD9B4E5F9L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /**
   * Reads every column of a row of the study table's 13 columns (metadata, then the four payload
   * fields) as a client would, so a baseline pays for what the store's mapping pays for.
   *
   * @return the identifier
   */
  static String readRow(java.sql.ResultSet rs) throws java.sql.SQLException {
    String id = rs.getString(1);
    rs.getString(2);
    rs.getString(3);
    rs.getShort(4);
    java.sql.Array derived = rs.getArray(5);
    if (derived != null) {
      derived.getArray();
    }
    rs.getBoolean(6);
    rs.getLong(7);
    rs.getObject(8, java.time.OffsetDateTime.class);
    rs.getObject(9, java.time.OffsetDateTime.class);
    rs.getString(10);
    rs.getObject(11, java.time.LocalDate.class);
    rs.getString(12);
    rs.getString(13);
    return id;
  }
}
