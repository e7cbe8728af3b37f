package io.vxdata.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.vxdata.VxData;
import io.vxdata.exports.ExportListener;
import io.vxdata.exports.ExportOptions;
import io.vxdata.exports.ExportState;
import io.vxdata.exports.Exports;
import io.vxdata.jdbc.TestH2;
import io.vxdata.jdbc.VxDataStore;
import io.vxdata.s3.EmbeddedS3;
import io.vxdata.s3.ObjectStorage;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /metrics} with the connection pool and the export jobs reporting to the server's registry, as
 * the server wires them: scraped from a real server and parsed as the Prometheus text format.
 */
class PoolAndExportMetricsTest {

  @Test
  void thePoolAndTheExportJobsAreScraped() throws Exception {
    CountDownLatch jobGone = new CountDownLatch(1);
    try (MicrometerMetrics metrics = MicrometerMetrics.prometheus();
         VxData store = VxDataStore.open(TestH2.freshMemoryOptions()
             .withMaxPoolSize(7).withPoolMetrics(new MicrometerMetricsTrackerFactory(metrics.registry())));
         EmbeddedS3 objects = EmbeddedS3.startInMemory("metrics");
         ObjectStorage storage = ObjectStorage.connect(objects.settings());
         Exports exports = Exports.open(store, storage, ExportOptions.defaults().withBatchRows(2)
             .withListener(leftCounted(metrics.exportListener(), jobGone)));
         VxDataServer server = VxDataServer.start(store, storage, exports,
             HttpBackend.testServerOptions().withMetrics(metrics))) {
      RawHttp http = new RawHttp(server.uri());
      assertThat(http.post("/resources/create", "{\"resources\":[" + datasource(1) + "," + datasource(2) + ","
          + datasource(3) + "]}").statusCode()).isEqualTo(200);
      HttpResponse<String> refused = http.post("/exports", "{\"query\":{\"payload_type\":\"nope\"},\"format\":\"ndjson\"}");
      assertThat(refused.statusCode()).isEqualTo(400);
      HttpResponse<String> accepted = http.post("/exports",
          "{\"query\":{\"payload_type\":\"datasource\"},\"format\":\"ndjson\"}");
      assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);

      // The meters hear of the job after its end is recorded, and a scrape is not a snapshot (it may read the
      // rows before the job's last batch and the ended counter after it): scrape once the job has left.
      assertThat(jobGone.await(60, TimeUnit.SECONDS)).as("the export job left the service").isTrue();
      PrometheusText text = scrape(http);

      assertThat(text.value("vxdata_export_jobs_submitted_total", Map.of())).isEqualTo(1);
      assertThat(text.value("vxdata_export_jobs_ended_total", Map.of("state", "finished"))).isEqualTo(1);
      assertThat(text.value("vxdata_export_jobs_ended_total", Map.of("state", "failed"))).isZero();
      assertThat(text.value("vxdata_export_jobs_ended_total", Map.of("state", "cancelled"))).isZero();
      assertThat(text.value("vxdata_export_rows_written_total", Map.of())).isEqualTo(3);
      assertThat(text.value("vxdata_export_jobs_running", Map.of())).isZero();
      assertThat(text.value("vxdata_export_jobs_queued", Map.of())).isZero();
      assertThat(text.types).containsEntry("vxdata_export_jobs_running", "gauge")
          .containsEntry("vxdata_export_jobs_submitted_total", "counter");

      // The pool: its size, what is in use now, and how long connections took to get.
      Map<String, String> pool = Map.of("pool", "vxdata");
      assertThat(text.value("hikaricp_connections_max", pool)).isEqualTo(7);
      assertThat(text.value("hikaricp_connections", pool)).isBetween(1.0, 7.0);
      assertThat(text.value("hikaricp_connections_active", pool)).isBetween(0.0, 7.0);
      assertThat(text.value("hikaricp_connections_pending", pool)).isZero();
      assertThat(text.value("hikaricp_connections_acquire_seconds_count", pool)).isGreaterThan(3);
    }
  }

  /** {@code meters}, counting {@code gone} down once the job has left, after every other event of it. */
  private static ExportListener leftCounted(ExportListener meters, CountDownLatch gone) {
    return new ExportListener() {
      @Override
      public void batch(String jobId, long rowsDone, long rowsTotal) {
        meters.batch(jobId, rowsDone, rowsTotal);
      }

      @Override
      public void queued(String jobId) {
        meters.queued(jobId);
      }

      @Override
      public void started(String jobId) {
        meters.started(jobId);
      }

      @Override
      public void ended(String jobId, ExportState state, long rowsWritten) {
        meters.ended(jobId, state, rowsWritten);
      }

      @Override
      public void left(String jobId) {
        meters.left(jobId);
        gone.countDown();
      }
    };
  }

  private static String datasource(int i) {
    return "{\"identifier\":\"ds-" + i + "\",\"payload_type\":\"datasource\",\"name\":\"DS " + i + "\"}";
  }

  private static PrometheusText scrape(RawHttp http) {
    HttpResponse<String> scrape = http.get("/metrics");
    assertThat(scrape.statusCode()).isEqualTo(200);
    return PrometheusText.parse(scrape.body());
  }
}
