package io.vxdata.parquet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vxdata.NewResource;
import io.vxdata.VxData;
import io.vxdata.jdbc.TestH2;
import io.vxdata.query.QueryRequest;
import io.vxdata.query.SortOrder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.parquet.io.DelegatingSeekableInputStream;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.SeekableInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParquetPreviewTest {

  private static final int ROWS = 20_000;

  @TempDir
  static Path dir;
  private static Path file;

  @BeforeAll
  static void exportManyRowGroups() throws IOException {
    try (VxData vx = TestH2.openFreshMemoryStore()) {
      List<NewResource> batch = new ArrayList<>();
      batch.add(NewResource.builder("datasource", "ds").set("name", "DS").build());
      batch.add(NewResource.builder("patient", "p").parent("ds").set("external_uid", "uid-p").build());
      for (int i = 0; i < ROWS; i++) {
        batch.add(NewResource.builder("study", String.format("st-%05d", i)).parent("p")
            .set("external_uid", "uid-" + i).set("study_date", "2024-01-0" + (1 + i % 9))
            .set("description", "study number " + i + " with some text to make pages bigger").build());
      }
      vx.create(batch);
      file = dir.resolve("studies.parquet");
      try (var out = Files.newOutputStream(file)) {
        ParquetExport.write(vx, QueryRequest.of("study").sortBy("identifier", SortOrder.ASC).build(), out,
            ParquetExport.Options.DEFAULT.withRowGroupBytes(64 * 1024));
      }
    }
  }

  @Test
  void windowsAtSeveralOffsetsReturnExactlyThoseRows() throws IOException {
    for (long[] window : new long[][] {{0, 10}, {1, 1}, {4_999, 3}, {12_345, 1000}, {19_990, 100}, {ROWS, 5}}) {
      ParquetPreview.Preview preview = ParquetPreview.read(new LocalInputFile(file), window[0], (int) window[1]);
      long expected = Math.max(0, Math.min(window[1], ROWS - window[0]));
      assertThat(preview.totalRows()).isEqualTo(ROWS);
      assertThat(preview.offset()).isEqualTo(window[0]);
      assertThat(preview.returnedRows()).isEqualTo((int) expected).isEqualTo(preview.data().size());
      for (int k = 0; k < expected; k++) {
        Map<String, Object> row = preview.data().get(k);
        long n = window[0] + k;
        assertThat(row.get("identifier")).isEqualTo(String.format("st-%05d", n));
        assertThat(row.get("external_uid")).isEqualTo("uid-" + n);
        assertThat(row.get("study_date")).isEqualTo("2024-01-0" + (1 + n % 9));
      }
    }
  }

  @Test
  void describesColumnsAndTypes() throws IOException {
    ParquetPreview.Preview preview = ParquetPreview.read(new LocalInputFile(file), 0, 1);
    assertThat(preview.columns()).startsWith("identifier", "parent_identifier", "payload_type")
        .contains("study_date", "modality");
    assertThat(preview.schema()).containsEntry("identifier", "string").containsEntry("study_date", "date")
        .containsEntry("created_at", "timestamp[us, UTC]").containsEntry("derived_from", "list<string>")
        .containsEntry("version", "int64");
    assertThat(preview.data().get(0).get("modality")).isNull();
    assertThat(preview.data().get(0).get("derived_from")).isEqualTo(List.of());
  }

  @Test
  void readsOnlyTheFooterAndTheRowGroupsItNeeds() throws IOException {
    long size = Files.size(file);
    CountingInputFile counting = new CountingInputFile(new LocalInputFile(file));
    ParquetPreview.read(counting, 10_000, 10);
    assertThat(counting.bytesRead.get()).as("bytes read of a %d-byte file", size).isLessThan(size / 4);
  }

  @Test
  void rejectsOutOfRangeWindows() {
    assertThatThrownBy(() -> ParquetPreview.read(new LocalInputFile(file), -1, 10))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("offset");
    assertThatThrownBy(() -> ParquetPreview.read(new LocalInputFile(file), 0, 1001))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("limit");
  }

  /** Counts the bytes a reader actually pulls from the file. */
  private static final class CountingInputFile implements InputFile {
    private final InputFile delegate;
    final AtomicLong bytesRead = new AtomicLong();

    CountingInputFile(InputFile delegate) {
      this.delegate = delegate;
    }

    @Override
    public long getLength() throws IOException {
      return delegate.getLength();
    }

    @Override
    public SeekableInputStream newStream() throws IOException {
      SeekableInputStream in = delegate.newStream();
      return new DelegatingSeekableInputStream(in) {
        @Override
        public long getPos() throws IOException {
          return in.getPos();
        }

        @Override
        public void seek(long newPos) throws IOException {
          in.seek(newPos);
        }

        @Override
        public int read() throws IOException {
          int b = in.read();
          if (b >= 0) {
            bytesRead.incrementAndGet();
          }
          return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
          int n = in.read(b, off, len);
          bytesRead.addAndGet(Math.max(n, 0));
          return n;
        }

        @Override
        public void readFully(byte[] bytes, int start, int len) throws IOException {
          in.readFully(bytes, start, len);
          bytesRead.addAndGet(len);
        }

        @Override
        public int read(ByteBuffer buf) throws IOException {
          int n = in.read(buf);
          bytesRead.addAndGet(Math.max(n, 0));
          return n;
        }

        @Override
        public void readFully(ByteBuffer buf) throws IOException {
          int n = buf.remaining();
          in.readFully(buf);
          bytesRead.addAndGet(n);
        }
      };
    }
  }
}
