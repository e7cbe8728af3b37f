package io.vxdata.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.vxdata.VxData;
import io.vxdata.jdbc.VxDataStore;
import io.vxdata.parquet.ParquetExport;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExportExampleTest {

  @Test
  void exportsTheImagesThePipelineAttached(@TempDir Path dir) throws Exception {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
    try (VxData vx = VxDataStore.open(VxDataStore.h2File(dir))) {
      new PipelineExample(vx, out).run();
      new PipelineExample(vx, out).run();
      Path file = dir.resolve("artefacts.parquet");
      ParquetExport.Result result = ExportExample.export(vx, file, out);

      assertThat(result.rows()).as("one 50 MB image per pipeline run").isEqualTo(2);
      assertThat(result.bytes()).isEqualTo(Files.size(file));
    }
    assertThat(printed.toString(StandardCharsets.UTF_8)).contains("size_bytes=52428800", "media_type=application/gzip");
  }
}
