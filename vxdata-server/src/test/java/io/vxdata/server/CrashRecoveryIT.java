package io.vxdata.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vxdata.http.RawHttp;
import io.vxdata.http.VxDataServer;
import io.vxdata.jdbc.TestPostgres;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * An acknowledged write survives {@code kill -9} (docs/behaviour.md §12.1): the server jar runs in its own process while
 * four writers send create and update batches; after a random number of acknowledged batches it is
 * killed with SIGKILL and started again on the same store. Then every acknowledged batch is there in
 * full, no batch is there in part, and every read made before the crash at a past {@code as_of}
 * answers exactly as it did. Several rounds on one store, on the H2 file store and on PostgreSQL; the
 * last server is stopped with SIGTERM and exits 0.
 */
// The two stores' crash rounds are independent (each its own directory, store and server process): at once.
@Execution(ExecutionMode.CONCURRENT)
class CrashRecoveryIT {

  private static final int WRITERS = 4;
  private static final int BATCH = 50;
  private static final int ROUNDS = 3;
  /** Most batches one writer sends in a round: a bound, never reached when the kill comes. */
  private static final int MAX_BATCHES = 2_000;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  @Test
  void acknowledgedWritesSurviveKill9OnTheH2FileStore(@TempDir Path dir) throws Exception {
    // The embedded default: an H2 file store in the data directory.
    crashRounds(dir, List.of("--data-dir", dir.resolve("data").toString()), 0x5EED_0001L);
  }

  @Test
  void acknowledgedWritesSurviveKill9OnPostgres(@TempDir Path dir) throws Exception {
    // An empty schema: the server migrates it on its first start, as on a user's new database.
    TestPostgres.Database db = TestPostgres.emptyDatabase();
    List<String> args = new ArrayList<>(List.of("--data-dir", dir.resolve("data").toString(),
        "--jdbc-url", db.jdbcUrl()));
    if (db.user() != null) {
      args.addAll(List.of("--jdbc-user", db.user(), "--jdbc-password", String.valueOf(db.password())));
    }
    crashRounds(dir, args, 0x5EED_0002L);
  }

  /**
   * Each round writes until the kill, restarts on the same store and checks; the server that checked
   * is the one the next round writes to (so later rounds crash a server that recovered from a crash).
   * After the last round the server is stopped with SIGTERM and must exit 0.
   */
  private void crashRounds(Path dir, List<String> args, long seed) throws Exception {
    Random random = new Random(seed);
    Path log = dir.resolve("server.log");
    ServerProcess server = ServerProcess.start(dir, log, args);
    try {
      for (int round = 0; round < ROUNDS; round++) {
        int killAfter = 20 + random.nextInt(100);
        Round r = new Round("r" + round);
        r.writeUntilKilled(server, killAfter);
        server.close();
        server = ServerProcess.start(dir, log, args);
        r.verify(server.base(), seed, round);
      }
      server.terminate();
      assertThat(server.awaitExit()).as("exit status after SIGTERM; log:%n%s", server.log()).isZero();
    } finally {
      server.close();
    }
  }

  /** One round's writes: what was sent, what was acknowledged, and the reads made before the kill. */
  private static final class Round {
    final String prefix;
    /** Create batches sent (acknowledged or not), by writer. */
    final Map<Integer, List<Integer>> sentCreates = new ConcurrentHashMap<>();
    final Map<Integer, List<Integer>> ackedCreates = new ConcurrentHashMap<>();
    /** The last update value sent and the last acknowledged, by writer (-1: none). */
    final Map<Integer, Integer> lastSentUpdate = new ConcurrentHashMap<>();
    final Map<Integer, Integer> lastAckedUpdate = new ConcurrentHashMap<>();
    final List<PastRead> pastReads = new CopyOnWriteArrayList<>();
    final AtomicInteger acks = new AtomicInteger();

    Round(String prefix) {
      this.prefix = prefix;
    }

    /** A read at the last commit, its time, and its body: after the restart, as_of that time must give the same. */
    record PastRead(List<String> identifiers, String asOf, String body) {}

    void writeUntilKilled(ServerProcess server, int killAfter) throws Exception {
      AtomicBoolean killed = new AtomicBoolean();
      ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
      try {
        List<Future<?>> writers = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
          int writer = w;
          sentCreates.put(writer, new CopyOnWriteArrayList<>());
          ackedCreates.put(writer, new CopyOnWriteArrayList<>());
          lastSentUpdate.put(writer, -1);
          lastAckedUpdate.put(writer, -1);
          writers.add(pool.submit(() -> {
            write(server, writer, killAfter, killed);
            return null;
          }));
        }
        for (Future<?> f : writers) {
          f.get(5, TimeUnit.MINUTES);
        }
      } finally {
        pool.shutdownNow();
      }
      assertThat(killed).as("the server was killed after %d acknowledged batches", killAfter).isTrue();
    }

    private void write(ServerProcess server, int writer, int killAfter, AtomicBoolean killed) throws Exception {
      URI base = server.base();
      for (int n = 0; n < MAX_BATCHES && !killed.get(); n++) {
        boolean create = n % 2 == 0;
        HttpResponse<String> response;
        try {
          if (create) {
            sentCreates.get(writer).add(n);
            response = post(base, "/resources/create", createBody(writer, n));
          } else {
            lastSentUpdate.put(writer, n);
            response = post(base, "/resources/update", updateBody(writer, n));
          }
        } catch (IOException e) {
          return; // the server is gone: this batch was never acknowledged
        }
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        if (create) {
          ackedCreates.get(writer).add(n);
        } else {
          lastAckedUpdate.put(writer, n);
        }
        if (acks.incrementAndGet() == killAfter) {
          server.kill();
          killed.set(true);
          return;
        }
        List<String> probe = new ArrayList<>(ids(writer, 0));
        if (create) {
          probe.addAll(ids(writer, n));
        }
        try {
          HttpResponse<String> read = post(base, "/resources/read", readBody(probe, null));
          if (read.statusCode() == 200) {
            pastReads.add(new PastRead(probe, read.headers().firstValue(VxDataServer.AS_OF_HEADER).orElseThrow(),
                read.body()));
          }
        } catch (IOException e) {
          return;
        }
      }
    }

    void verify(URI base, long seed, int round) throws Exception {
      String where = "seed " + Long.toHexString(seed) + ", round " + round + " (" + prefix + ")";
      int ackedBatches = 0;
      for (int writer = 0; writer < WRITERS; writer++) {
        for (int n : sentCreates.get(writer)) {
          int present = RawHttp.json(post(base, "/resources/read", readBody(ids(writer, n), null))).size();
          if (ackedCreates.get(writer).contains(n)) {
            ackedBatches++;
            assertThat(present).as("%s: acknowledged create batch w%d/%d is there in full", where, writer, n)
                .isEqualTo(BATCH);
          } else {
            assertThat(present).as("%s: unacknowledged create batch w%d/%d is all there or not at all", where,
                writer, n).isIn(0, BATCH);
          }
        }
        int acked = lastAckedUpdate.get(writer);
        int sent = lastSentUpdate.get(writer);
        if (!ackedCreates.get(writer).contains(0)) {
          continue; // the writer's first batch, the one it updates, may be lost only if never acknowledged
        }
        JsonNode updated = RawHttp.json(post(base, "/resources/read", readBody(ids(writer, 0), null)));
        List<Long> sizes = new ArrayList<>();
        updated.forEach(r -> sizes.add(r.path("size_bytes").asLong()));
        assertThat(sizes).as("%s: every resource of w%d's update batches saw the same updates", where, writer)
            .containsOnly(sizes.get(0));
        if (acked >= 0) {
          ackedBatches++;
          assertThat(sizes.get(0)).as("%s: w%d's last acknowledged update %d (last sent %d) survived", where, writer,
              acked, sent).isBetween((long) acked, (long) sent);
        }
      }
      assertThat(ackedBatches).as("%s: acknowledged batches checked", where).isPositive();
      assertThat(pastReads).as("%s: reads made before the kill", where).isNotEmpty();
      for (PastRead past : pastReads) {
        HttpResponse<String> again = post(base, "/resources/read", readBody(past.identifiers(), past.asOf()));
        assertThat(again.body()).as("%s: read as of %s after the restart", where, past.asOf()).isEqualTo(past.body());
      }
    }

    private List<String> ids(int writer, int batch) {
      List<String> ids = new ArrayList<>(BATCH);
      for (int i = 0; i < BATCH; i++) {
        ids.add(prefix + "-w" + writer + "-b" + batch + "-" + i);
      }
      return ids;
    }

    private String createBody(int writer, int batch) {
      ObjectNode body = JSON.createObjectNode();
      ArrayNode resources = body.putArray("resources");
      for (String id : ids(writer, batch)) {
        resources.addObject().put("identifier", id).put("payload_type", "artefact").put("role", "crash-test")
            .put("size_bytes", batch).put("uri", "s3://vxdata/crash/" + id);
      }
      return body.toString();
    }

    private String updateBody(int writer, int value) {
      ObjectNode body = JSON.createObjectNode();
      ObjectNode updates = body.putObject("updates");
      for (String id : ids(writer, 0)) {
        updates.putObject(id).put("size_bytes", value);
      }
      return body.toString();
    }
  }

  private static String readBody(List<String> identifiers, String asOf) {
    ObjectNode body = JSON.createObjectNode();
    identifiers.forEach(body.putArray("identifiers")::add);
    if (asOf != null) {
      body.put("as_of", asOf);
    }
    return body.toString();
  }

  private static HttpResponse<String> post(URI base, String path, String body) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
        .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
