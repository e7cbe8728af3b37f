package io.vxdata.examples;

import io.vxdata.VxData;
import io.vxdata.jdbc.VxDataStore;
import io.vxdata.parquet.ParquetExport;
import io.vxdata.parquet.ParquetPreview;
import io.vxdata.query.Filter;
import io.vxdata.query.Operator;
import io.vxdata.query.QueryRequest;
import io.vxdata.query.SortOrder;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.parquet.io.LocalInputFile;

/**
 * Exports the artefacts of the example store to a Parquet file and previews its first rows. Run
 * {@link PipelineExample} first (both use {@link PipelineExample#DEFAULT_DATA_DIR} unless given a
 * directory); then
 * {@code ./mvnw -q -pl vxdata-examples -am package exec:java -DskipTests -Dexec.mainClass=io.vxdata.examples.ExportExample}.
 */
public final class ExportExample {

  private ExportExample() {}

  public static void main(String[] args) throws IOException {
    Path dataDir = Path.of(args.length > 0 ? args[0] : PipelineExample.DEFAULT_DATA_DIR);
    try (VxData vx = VxDataStore.open(VxDataStore.h2File(dataDir))) {
      export(vx, dataDir.resolve("artefacts.parquet"), System.out);
    }
  }

  /** Writes the artefacts over 1 MB under the example clinic, largest first, and prints a preview. */
  static ParquetExport.Result export(VxData vx, Path file, PrintStream out) throws IOException {
    QueryRequest request = QueryRequest.of("artefact")
        .descendants("example-clinic")
        .filter(Filter.where("size_bytes", Operator.GT, 1_000_000))
        .sortBy("size_bytes", SortOrder.DESC)
        .select("uri", "media_type", "size_bytes", "created_at")
        .build();
    ParquetExport.Result result;
    try (OutputStream stream = Files.newOutputStream(file)) {
      result = ParquetExport.write(vx, request, stream);
    }
    out.printf("Wrote %d rows (%d bytes) as of %s to %s%n", result.rows(), result.bytes(), result.asOf(), file);
    ParquetPreview.Preview preview = ParquetPreview.read(new LocalInputFile(file), 0, 5);
    out.println("Columns: " + preview.schema());
    preview.data().forEach(row -> out.println("  " + row));
    return result;
  }
}
