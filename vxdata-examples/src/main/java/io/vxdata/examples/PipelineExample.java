package io.vxdata.examples;

import io.vxdata.NewResource;
import io.vxdata.NotFoundException;
import io.vxdata.ReadOptions;
import io.vxdata.Resource;
import io.vxdata.ResourceUpdate;
import io.vxdata.VxData;
import io.vxdata.WriteResult;
import io.vxdata.jdbc.VxDataStore;
import io.vxdata.schema.PayloadType;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A small ingestion pipeline against an embedded H2 file store: registers an application payload
 * type, a datasource, a patient and a study, attaches artefacts, corrects one, and reads the past.
 * Safe to run repeatedly on the same store: registrations are resolved when they exist.
 *
 * <p>Run with {@code ./mvnw -q -pl vxdata-examples -am package exec:java -DskipTests}; the first
 * argument overrides the data directory (default {@code ./vxdata-example-data}: not the server's
 * {@code ./vxdata-data}, since an H2 file store belongs to one process at a time).
 */
public final class PipelineExample {

  /** An application payload type, derived from a record: components become snake_case fields. */
  public record Segmentation(String label, double volumeMl, List<String> structures, boolean reviewed) {}

  /**
   * Where the examples keep their H2 file store unless told otherwise: not the server's
   * {@code ./vxdata-data}, so they run while the server does.
   */
  public static final String DEFAULT_DATA_DIR = "vxdata-example-data";

  private final VxData vx;
  private final PrintStream out;

  PipelineExample(VxData vx, PrintStream out) {
    this.vx = vx;
    this.out = out;
  }

  public static void main(String[] args) {
    Path dataDir = Path.of(args.length > 0 ? args[0] : DEFAULT_DATA_DIR);
    try (VxData vx = VxDataStore.open(VxDataStore.h2File(dataDir))) {
      System.out.println("Store: H2 file in " + dataDir.toAbsolutePath());
      new PipelineExample(vx, System.out).run();
    }
  }

  /** Runs the pipeline once and returns the identifier of the segmentation it created. */
  String run() {
    vx.registerType(PayloadType.fromRecord("segmentation", Segmentation.class));
    out.println("Payload types: " + vx.payloadTypes().keySet());

    String datasource = "example-clinic";
    if (vx.read(List.of(datasource)).value().isEmpty()) {
      vx.create(List.of(NewResource.builder("datasource", datasource)
          .set("name", "Example Clinic").set("site", "Basel").license("CC-BY-4.0").build()));
      out.println("Created datasource " + datasource);
    }
    String patient = registerOrResolvePatient(datasource, "MRN-0001");
    String study = registerOrResolveStudy(patient, "1.2.840.10008.1");
    out.println("Patient " + patient + ", study " + study);

    String run = Long.toString(Instant.now().toEpochMilli(), 36);
    String image = "img-" + run;
    String segmentation = "seg-" + run;
    Instant beforeReview = vx.create(List.of(
        NewResource.builder("artefact", image).parent(study)
            .set("uri", "s3://vxdata/example/" + image + ".nii.gz").set("media_type", "application/gzip")
            .set("size_bytes", 52_428_800L).set("role", "image").build(),
        NewResource.builder("segmentation", segmentation).parent(study).derivedFrom(image)
            .set("label", "liver").set("volume_ml", 1480.5).set("structures", List.of("liver", "portal vein"))
            .set("reviewed", false).build())).committedAt();
    out.println("Created artefact " + image + " and segmentation " + segmentation + " at " + beforeReview);

    WriteResult review = vx.update(Map.of(segmentation,
        ResourceUpdate.builder().set("reviewed", true).set("volume_ml", 1475.0).build()));
    out.println("Reviewed the segmentation (" + review.count() + " updated at " + review.committedAt() + ")");

    Resource now = vx.read(List.of(segmentation)).value().get(0);
    Resource then = vx.read(List.of(segmentation), ReadOptions.asOf(beforeReview)).value().get(0);
    out.println("Now:    version " + now.version() + ", volume " + now.get("volume_ml") + " ml, reviewed "
        + now.get("reviewed"));
    out.println("As of " + beforeReview + ": version " + then.version() + ", volume " + then.get("volume_ml")
        + " ml, reviewed " + then.get("reviewed"));
    out.println("Lineage of " + segmentation + ": derived from " + now.derivedFrom() + ", ancestors "
        + vx.parents(segmentation).value());
    Resource studyNow = vx.read(List.of(study)).value().get(0);
    out.println("Study " + study + " has " + studyNow.children().orElseThrow().size() + " artefacts");
    return segmentation;
  }

  private String registerOrResolvePatient(String datasource, String mrn) {
    try {
      return vx.resolvePatient(datasource, mrn);
    } catch (NotFoundException e) {
      return vx.registerPatient(datasource, mrn).identifier();
    }
  }

  private String registerOrResolveStudy(String patient, String studyUid) {
    try {
      return vx.resolveStudy(patient, studyUid);
    } catch (NotFoundException e) {
      return vx.registerStudy(patient, studyUid).identifier();
    }
  }
}
