package io.vxdata.http;

import static io.vxdata.testkit.Fixtures.datasource;
import static org.assertj.core.api.Assertions.assertThat;

import io.vxdata.Answer;
import io.vxdata.AsOf;
import io.vxdata.Cascade;
import io.vxdata.DatasourceDetails;
import io.vxdata.DatasourceStats;
import io.vxdata.NewResource;
import io.vxdata.ReadOptions;
import io.vxdata.Registration;
import io.vxdata.Resource;
import io.vxdata.ResourceUpdate;
import io.vxdata.VxData;
import io.vxdata.WriteResult;
import io.vxdata.jdbc.TestH2;
import io.vxdata.query.QueryPage;
import io.vxdata.query.QueryRequest;
import io.vxdata.schema.PayloadType;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Stopping the server lets in-flight requests finish and refuses new connections. */
class GracefulShutdownTest {

  @Test
  void inFlightRequestFinishesWhileTheServerStops() throws Exception {
    try (VxData real = TestH2.openFreshMemoryStore()) {
      real.create(List.of(datasource("ds-1")));
      BlockingReads store = new BlockingReads(real);
      VxDataServer server = VxDataServer.start(store, ServerOptions.defaults().withHost("127.0.0.1").withPort(0)
          .withAuthentication(Authentication.off(null)));
      URI base = server.uri();
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

      CompletableFuture<HttpResponse<String>> inFlight = http.sendAsync(HttpRequest.newBuilder(
              URI.create(base + "/resources/read")).POST(HttpRequest.BodyPublishers.ofString("{\"identifiers\":[\"ds-1\"]}"))
          .build(), HttpResponse.BodyHandlers.ofString());
      assertThat(store.entered.await(30, TimeUnit.SECONDS)).as("the read reached the store").isTrue();

      CompletableFuture<Void> stopping = CompletableFuture.runAsync(server::close);
      // Bounded poll: the server has begun stopping once it refuses new connections.
      boolean refused = false;
      for (int i = 0; i < 3000 && !refused && !stopping.isDone(); i++) {
        refused = !accepts(base);
        Thread.onSpinWait();
      }
      assertThat(refused || stopping.isDone()).as("the server stopped accepting connections").isTrue();
      assertThat(inFlight).as("the in-flight request is still running").isNotDone();

      store.release.countDown();

      HttpResponse<String> response = inFlight.get(30, TimeUnit.SECONDS);
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).contains("\"identifier\":\"ds-1\"");
      stopping.get(30, TimeUnit.SECONDS);
      assertThat(accepts(base)).as("accepts connections after stop").isFalse();
    }
  }

  private static boolean accepts(URI base) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(base.getHost(), base.getPort()), 1000);
      return true;
    } catch (ConnectException e) {
      return false;
    } catch (IOException e) {
      return false;
    }
  }

  /** A store whose reads wait until released: an in-flight request the test controls. */
  private static final class BlockingReads implements VxData {
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    private final VxData delegate;

    BlockingReads(VxData delegate) {
      this.delegate = delegate;
    }

    @Override
    public Answer<List<Resource>> read(List<String> identifiers, ReadOptions options) {
      if (!identifiers.isEmpty()) {
        entered.countDown();
        try {
          if (!release.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("never released");
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        }
      }
      return delegate.read(identifiers, options);
    }

    @Override public WriteResult create(List<NewResource> resources) { return delegate.create(resources); }
    @Override public WriteResult update(Map<String, ResourceUpdate> updates) { return delegate.update(updates); }
    @Override public WriteResult delete(List<String> identifiers, Cascade cascade) { return delegate.delete(identifiers, cascade); }
    @Override public WriteResult restore(List<String> identifiers) { return delegate.restore(identifiers); }
    @Override public WriteResult updateWhere(io.vxdata.UpdateWhere request) { return delegate.updateWhere(request); }
    @Override public WriteResult deleteWhere(io.vxdata.DeleteWhere request) { return delegate.deleteWhere(request); }
    @Override public QueryPage query(QueryRequest request) { return delegate.query(request); }
    @Override public Answer<Long> count(QueryRequest request) { return delegate.count(request); }
    @Override public Answer<List<String>> parents(String identifier, AsOf asOf) { return delegate.parents(identifier, asOf); }
    @Override public io.vxdata.HistoryPage history(String identifier, io.vxdata.HistoryRequest request) { return delegate.history(identifier, request); }
    @Override public io.vxdata.ChangesPage changes(io.vxdata.ChangesRequest request) { return delegate.changes(request); }
    @Override public Answer<List<DatasourceStats>> datasourceStats(AsOf asOf) { return delegate.datasourceStats(asOf); }
    @Override public Answer<List<DatasourceDetails>> datasourceDetails(String id, AsOf asOf) {
      return delegate.datasourceDetails(id, asOf);
    }
    @Override public void registerType(PayloadType type) { delegate.registerType(type); }
    @Override public Map<String, PayloadType> payloadTypes() { return delegate.payloadTypes(); }
    @Override public Map<String, String> schemas() { return delegate.schemas(); }
    @Override public Registration registerPatient(String d, String u) { return delegate.registerPatient(d, u); }
    @Override public String resolvePatient(String d, String u) { return delegate.resolvePatient(d, u); }
    @Override public Registration registerStudy(String p, String u) { return delegate.registerStudy(p, u); }
    @Override public String resolveStudy(String p, String u) { return delegate.resolveStudy(p, u); }
    @Override public io.vxdata.RegistrationBatch registerPatients(List<io.vxdata.PatientRegistration> items) {
      return delegate.registerPatients(items);
    }
    @Override public io.vxdata.RegistrationBatch registerStudies(List<io.vxdata.StudyRegistration> items) {
      return delegate.registerStudies(items);
    }
    @Override public Instant lastCommitTime() { return delegate.lastCommitTime(); }
    @Override public VxData as(String principalId, String requestId) { return delegate.as(principalId, requestId); }
    @Override public io.vxdata.access.Access access() { return delegate.access(); }
    @Override public io.vxdata.release.Releases releases() { return delegate.releases(); }
    @Override public io.vxdata.relation.Relations relations() { return delegate.relations(); }
    @Override public void close() { }
  }
}
