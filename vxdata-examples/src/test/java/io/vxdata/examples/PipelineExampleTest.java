package io.vxdata.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.vxdata.Resource;
import io.vxdata.VxData;
import io.vxdata.jdbc.VxDataStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipelineExampleTest {

  @Test
  void runsTwiceOnTheSameFileStoreReusingRegistrations(@TempDir Path dir) {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    String first;
    String second;
    try (VxData vx = VxDataStore.open(VxDataStore.h2File(dir))) {
      first = new PipelineExample(vx, new PrintStream(printed, true, StandardCharsets.UTF_8)).run();
    }
    try (VxData vx = VxDataStore.open(VxDataStore.h2File(dir))) {
      second = new PipelineExample(vx, new PrintStream(printed, true, StandardCharsets.UTF_8)).run();
      Resource segmentation = vx.read(List.of(second)).value().get(0);
      assertThat(segmentation.version()).isEqualTo(2);
      assertThat(segmentation.get("reviewed")).isEqualTo(true);
      assertThat(segmentation.get("structures")).isEqualTo(List.of("liver", "portal vein"));
      assertThat(vx.parents(second).value()).hasSize(3).endsWith("example-clinic");
      assertThat(vx.read(List.of(first)).value()).hasSize(1);
    }
    String output = printed.toString(StandardCharsets.UTF_8);
    assertThat(output).contains("Created datasource example-clinic").containsOnlyOnce("Created datasource");
    assertThat(output).contains("reviewed false").contains("reviewed true");
  }
}
