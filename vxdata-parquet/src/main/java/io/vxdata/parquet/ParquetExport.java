package io.vxdata.parquet;

import io.vxdata.Resource;
import io.vxdata.ValidationException;
import io.vxdata.VxData;
import io.vxdata.query.QueryRequest;
import io.vxdata.schema.PayloadType;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.api.RecordConsumer;

/**
 * Writes the full result of a query as one Parquet file to a stream (docs/behaviour.md §8). Rows come from
 * {@link VxData#scan}, so they are read from the database in chunks and written row group by row
 * group: memory stays bounded by the row group size, whatever the row count.
 *
 * <pre>{@code
 * try (OutputStream out = Files.newOutputStream(Path.of("studies.parquet"))) {
 *   ParquetExport.write(vx, QueryRequest.of("study").descendants("clinic-a").build(), out);
 * }
 * }</pre>
 */
public final class ParquetExport {

  /**
   * How files are laid out.
   *
   * @param rowGroupBytes the target size of a row group; the writer buffers about this much
   * @param compression the page compression codec
   */
  public record Options(long rowGroupBytes, CompressionCodecName compression) {

    /**
     * 4 MiB row groups, Snappy. The writer buffers one row group, and a preview fetches whole row
     * groups: at 16 MiB a 1,000,000-study export had two groups, so a preview of 100 rows fetched
     * 60 % of the file; at 4 MiB it fetches about a sixth.
     */
    public static final Options DEFAULT = new Options(4L << 20, CompressionCodecName.SNAPPY);

    public Options {
      Objects.requireNonNull(compression, "compression");
      if (rowGroupBytes < 1024) {
        throw new IllegalArgumentException("rowGroupBytes must be at least 1024, not " + rowGroupBytes);
      }
    }

    /** These options with another row group size. */
    public Options withRowGroupBytes(long bytes) {
      return new Options(bytes, compression);
    }
  }

  /**
   * What an export wrote.
   *
   * @param rows the number of rows
   * @param bytes the file's size
   * @param asOf the transaction time the rows were read at
   */
  public record Result(long rows, long bytes, Instant asOf) {}

  /** The key of the file metadata entry holding the read time. */
  public static final String AS_OF_KEY = "vxdata.as_of";

  private ParquetExport() {}

  /** Exports with {@link Options#DEFAULT}; see {@link #write(VxData, QueryRequest, OutputStream, Options)}. */
  public static Result write(VxData vx, QueryRequest request, OutputStream out) throws IOException {
    return write(vx, request, out, Options.DEFAULT);
  }

  /**
   * Streams every row {@code request} matches (filters, scope, order, {@code as_of},
   * {@code select_columns}; {@code limit} caps the rows if given; the cursor is ignored) to
   * {@code out} as one Parquet file. The stream is flushed, not closed.
   *
   * @throws ValidationException if the request is invalid; nothing is written then
   * @throws IOException if writing to {@code out} fails
   */
  public static Result write(VxData vx, QueryRequest request, OutputStream out, Options options) throws IOException {
    return prepare(vx, request).writeTo(out, options);
  }

  /**
   * Checks {@code request} and fixes the file's columns, before anything is written: an HTTP
   * response, say, can then still answer an invalid request with an error instead of a broken file.
   *
   * @throws ValidationException if the payload type, a selected column or the query is invalid
   */
  public static Export prepare(VxData vx, QueryRequest request) {
    PayloadType type = vx.payloadTypes().get(request.payloadType());
    if (type == null) {
      throw ValidationException.of(null, "payload_type", "unknown payload type '%s'", request.payloadType());
    }
    ResourceColumns columns = ResourceColumns.of(type, request.selectColumns());
    if (request.limit() != null && request.limit() < 1) {
      throw ValidationException.of(null, "limit", "caps the exported rows and must be at least 1, not %d",
          request.limit());
    }
    // A one-row page checks filters, scope and order as the store would (a count would read them
    // all), and fixes the time the export reads at, so that it can be stated before the rows.
    Instant asOf = vx.query(request.toBuilder().cursor(null).limit(1).build()).asOf();
    return new Export(vx, request.toBuilder().asOf(asOf).build(), columns, asOf);
  }

  /** A checked export, ready to write. */
  public static final class Export {
    private final VxData vx;
    private final QueryRequest request;
    private final ResourceColumns columns;
    private final Instant asOf;

    private Export(VxData vx, QueryRequest request, ResourceColumns columns, Instant asOf) {
      this.vx = vx;
      this.request = request;
      this.columns = columns;
      this.asOf = asOf;
    }

    /** The transaction time the rows are read at: the request's, or the last commit when it was checked. */
    public Instant asOf() {
      return asOf;
    }

    /**
     * Streams the rows to {@code out} as one Parquet file; the stream is flushed, not closed.
     *
     * @throws IOException if writing to {@code out} fails
     */
    public Result writeTo(OutputStream out, Options options) throws IOException {
      return writeTo(out, options, () -> { });
    }

    /**
     * As {@link #writeTo(OutputStream, Options)}, calling {@code afterEachRow} once a row is written:
     * for progress, or to stop the export by throwing (an export job's cancel).
     *
     * @throws IOException if writing to {@code out} fails
     */
    public Result writeTo(OutputStream out, Options options, Runnable afterEachRow) throws IOException {
      StreamOutputFile file = new StreamOutputFile(out);
      long[] rows = {0};
      Instant asOf;
      try (ParquetWriter<Resource> writer = new Builder(file, columns)
          .withConf(new Configuration(false))
          .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
          .withCompressionCodec(options.compression())
          .withRowGroupSize(options.rowGroupBytes())
          .withPageSize(1 << 20)
          .withDictionaryEncoding(true)
          .build()) {
        asOf = vx.scan(request, r -> {
          try {
            writer.write(r);
            rows[0]++;
            afterEachRow.run();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
      } catch (UncheckedIOException e) {
        throw e.getCause();
      }
      return new Result(rows[0], file.bytesWritten(), asOf);
    }
  }

  private static final class Builder extends ParquetWriter.Builder<Resource, Builder> {
    private final ResourceColumns columns;

    Builder(OutputFile file, ResourceColumns columns) {
      super(file);
      this.columns = columns;
    }

    @Override
    protected Builder self() {
      return this;
    }

    // Deprecated in favour of the ParquetConfiguration overload, but still abstract: both say the same.
    @Override
    @SuppressWarnings("deprecation")
    protected WriteSupport<Resource> getWriteSupport(Configuration conf) {
      return new ResourceWriteSupport(columns);
    }

    @Override
    protected WriteSupport<Resource> getWriteSupport(ParquetConfiguration conf) {
      return new ResourceWriteSupport(columns);
    }
  }

  private static final class ResourceWriteSupport extends WriteSupport<Resource> {
    private final ResourceColumns columns;
    private RecordConsumer consumer;

    ResourceWriteSupport(ResourceColumns columns) {
      this.columns = columns;
    }

    @Override
    @SuppressWarnings("deprecation")
    public WriteContext init(Configuration configuration) {
      return new WriteContext(columns.schema(), Map.of());
    }

    @Override
    public WriteContext init(ParquetConfiguration configuration) {
      return new WriteContext(columns.schema(), Map.of());
    }

    @Override
    public void prepareForWrite(RecordConsumer recordConsumer) {
      this.consumer = recordConsumer;
    }

    @Override
    public void write(Resource record) {
      columns.write(record, consumer);
    }
  }
}
