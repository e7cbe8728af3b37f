package io.vxdata.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vxdata.NewResource;
import io.vxdata.VxData;
import io.vxdata.jdbc.TestH2;
import io.vxdata.s3.EmbeddedS3;
import io.vxdata.s3.ObjectStorage;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.LocalInputFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code POST /query/parquet} and the {@code /s3/*} routes against a real S3 API (S3Proxy in this JVM). */
class ExportAndObjectStorageRoutesTest {

  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @TempDir
  Path dir;
  private VxData store;
  private EmbeddedS3 objects;
  private ObjectStorage storage;
  private VxDataServer server;
  private RawHttp http;

  @BeforeEach
  void start() {
    store = TestH2.openFreshMemoryStore();
    objects = EmbeddedS3.startInMemory("vxdata");
    storage = ObjectStorage.connect(objects.settings());
    server = VxDataServer.start(store, storage, HttpBackend.testServerOptions());
    http = new RawHttp(server.uri());
  }

  @AfterEach
  void stop() {
    server.close();
    storage.close();
    objects.close();
    store.close();
  }

  private void createStudies(int count) {
    List<NewResource> batch = new ArrayList<>();
    batch.add(NewResource.builder("datasource", "ds").set("name", "DS").build());
    batch.add(NewResource.builder("patient", "p").parent("ds").set("external_uid", "uid-p").build());
    for (int i = 0; i < count; i++) {
      batch.add(NewResource.builder("study", String.format("st-%04d", i)).parent("p").set("external_uid", "u" + i)
          .set("modality", i % 2 == 0 ? "MR" : "CT").build());
    }
    store.create(batch);
  }

  private HttpResponse<byte[]> postBytes(String path, String body) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(URI.create(server.uri() + path)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  @Test
  void queryParquetStreamsTheWholeResultAsOneFile() throws Exception {
    createStudies(2500);
    Instant last = store.lastCommitTime();
    HttpResponse<byte[]> r = postBytes("/query/parquet", "{\"payload_type\":\"study\",\"filters\":{\"field\":"
        + "\"modality\",\"op\":\"=\",\"value\":\"MR\"},\"sort_by\":\"identifier\",\"sort_order\":\"asc\","
        + "\"select_columns\":[\"modality\"]}");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith(
        "application/octet-stream"));
    assertThat(r.headers().firstValue("Content-Disposition")).hasValueSatisfying(d -> assertThat(d)
        .startsWith("attachment; filename=\"study-").endsWith(".parquet\""));
    assertThat(r.headers().firstValue("VxData-As-Of")).hasValue(io.vxdata.json.Json.formatInstant(last));
    Path file = dir.resolve("out.parquet");
    Files.write(file, r.body());
    try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(file))) {
      assertThat(reader.getRecordCount()).isEqualTo(1250);
      assertThat(reader.getFooter().getFileMetaData().getSchema().getFields()).extracting(f -> f.getName())
          .containsExactly("identifier", "payload_type", "modality");
    }
  }

  @Test
  void aLargeExportIsStreamedInChunksNotBufferedWhole() throws Exception {
    List<NewResource> batch = new ArrayList<>();
    batch.add(NewResource.builder("datasource", "ds").set("name", "DS").build());
    batch.add(NewResource.builder("patient", "p").parent("ds").set("external_uid", "uid-p").build());
    for (int i = 0; i < 20_000; i++) {
      batch.add(NewResource.builder("study", "st-" + i).parent("p").set("external_uid", UUID.randomUUID().toString())
          .set("description", UUID.randomUUID() + " " + UUID.randomUUID()).build());
    }
    store.create(batch);

    HttpResponse<byte[]> r = postBytes("/query/parquet", "{\"payload_type\":\"study\"}");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body().length).as("a file larger than any response buffer").isGreaterThan(1 << 20);
    assertThat(r.headers().firstValue("Transfer-Encoding")).as("streamed, not buffered whole").hasValue("chunked");
    assertThat(r.headers().firstValue("Content-Length")).isEmpty();
    Path file = dir.resolve("large.parquet");
    Files.write(file, r.body());
    try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(file))) {
      assertThat(reader.getRecordCount()).isEqualTo(20_000);
    }
  }

  @Test
  void anInvalidExportGetsAJsonErrorNotAFile() throws Exception {
    HttpResponse<String> r = http.post("/query/parquet", "{\"payload_type\":\"study\",\"select_columns\":[\"nope\"]}");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).contains("json"));
    assertThat(r.headers().firstValue("Content-Disposition")).isEmpty();
    assertThat(RawHttp.json(r).path("error").path("message").asText()).contains("nope");
  }

  @Test
  void presignedUploadListDownloadAndConfig() throws Exception {
    JsonNode config = RawHttp.json(http.get("/s3/config"));
    assertThat(config.path("s3_bucket").asText()).isEqualTo("vxdata");
    assertThat(config.path("s3_endpoint").asText()).isEqualTo(objects.settings().endpoint().toString());

    JsonNode upload = RawHttp.json(http.post("/s3/presign", "{\"direction\":\"upload\",\"group\":\"scans\","
        + "\"filename\":\"brain.nii\"}"));
    String path = upload.path("path").asText();
    assertThat(path).startsWith("s3://vxdata/scans/").endsWith("/brain.nii");
    byte[] content = "voxels".getBytes(StandardCharsets.UTF_8);
    assertThat(HTTP.send(HttpRequest.newBuilder(URI.create(upload.path("url").asText()))
        .PUT(HttpRequest.BodyPublishers.ofByteArray(content)).build(), HttpResponse.BodyHandlers.discarding())
        .statusCode()).isEqualTo(200);

    JsonNode listed = RawHttp.json(http.get("/s3/list?prefix=s3://vxdata/scans/"));
    assertThat(listed.path("keys")).hasSize(1);
    assertThat(listed.path("keys").get(0).asText()).isEqualTo(path.substring("s3://vxdata/".length()));

    JsonNode download = RawHttp.json(http.post("/s3/presign", "{\"direction\":\"download\",\"path\":\"" + path
        + "\"}"));
    assertThat(HTTP.send(HttpRequest.newBuilder(URI.create(download.path("url").asText())).GET().build(),
        HttpResponse.BodyHandlers.ofByteArray()).body()).isEqualTo(content);
  }

  @Test
  void batchAndUploadDirectoryAnswerInOrder() {
    JsonNode batch = RawHttp.json(http.post("/s3/presign/batch", "{\"direction\":\"upload\",\"items\":["
        + "{\"group\":\"g\",\"filename\":\"a.txt\"},{\"group\":\"g\",\"filename\":\"b.txt\"}]}"));
    assertThat(batch.path("urls")).hasSize(2);
    assertThat(batch.path("urls").get(0).path("path").asText()).endsWith("/a.txt");
    assertThat(batch.path("urls").get(1).path("path").asText()).endsWith("/b.txt");

    JsonNode dir = RawHttp.json(http.post("/s3/presign/upload-dir", "{\"group\":\"series\",\"relpaths\":"
        + "[\"x/1.dcm\",\"x/2.dcm\"]}"));
    String root = dir.path("root").asText();
    assertThat(root).startsWith("s3://vxdata/series/").endsWith("/");
    assertThat(dir.path("items").get(0).path("path").asText()).isEqualTo(root + "x/1.dcm");
    assertThat(dir.path("items").get(1).path("path").asText()).isEqualTo(root + "x/2.dcm");
  }

  @Test
  void parquetPreviewOfAnExportedFile() throws Exception {
    createStudies(300);
    byte[] file = postBytes("/query/parquet", "{\"payload_type\":\"study\",\"sort_by\":\"identifier\","
        + "\"sort_order\":\"asc\"}").body();
    JsonNode upload = RawHttp.json(http.post("/s3/presign", "{\"direction\":\"upload\",\"group\":\"exports\","
        + "\"filename\":\"studies.parquet\"}"));
    HTTP.send(HttpRequest.newBuilder(URI.create(upload.path("url").asText()))
        .PUT(HttpRequest.BodyPublishers.ofByteArray(file)).build(), HttpResponse.BodyHandlers.discarding());

    JsonNode preview = RawHttp.json(http.get("/s3/parquet?path=" + upload.path("path").asText()
        + "&offset=10&limit=3"));
    assertThat(preview.path("total_rows").asLong()).isEqualTo(300);
    assertThat(preview.path("returned_rows").asInt()).isEqualTo(3);
    assertThat(preview.path("offset").asLong()).isEqualTo(10);
    assertThat(preview.path("columns").get(0).asText()).isEqualTo("identifier");
    assertThat(preview.path("schema").path("created_at").asText()).isEqualTo("timestamp[us, UTC]");
    assertThat(preview.path("data").get(0).path("identifier").asText()).isEqualTo("st-0010");
    assertThat(preview.path("data").get(2).path("identifier").asText()).isEqualTo("st-0012");
  }

  @Test
  void everyBadNameIsA400NamingTheProblem() {
    String[][] cases = {
        {"/s3/presign", "{\"direction\":\"upload\",\"group\":\"../x\",\"filename\":\"a\"}", "group"},
        {"/s3/presign", "{\"direction\":\"upload\",\"group\":\"g\",\"filename\":\"..\"}", "filename"},
        {"/s3/presign", "{\"direction\":\"upload\",\"group\":\"g\",\"filename\":\"a\\u0007b\"}", "filename"},
        {"/s3/presign", "{\"direction\":\"upload\",\"group\":\"g\"}", "filename"},
        {"/s3/presign", "{\"direction\":\"download\",\"path\":\"s3://other/a\"}", "path"},
        {"/s3/presign", "{\"direction\":\"download\"}", "path"},
        {"/s3/presign", "{\"direction\":\"sideways\",\"path\":\"s3://vxdata/a\"}", "direction"},
        {"/s3/presign", "{\"direction\":\"upload\",\"group\":\"g\",\"filename\":\"a\",\"bucket\":\"x\"}", "bucket"},
        {"/s3/presign/batch", "{\"direction\":\"download\",\"items\":[{\"path\":\"s3://vxdata/ok\"},"
            + "{\"path\":\"s3://vxdata/a/../../b\"}]}", "items[1].path"},
        {"/s3/presign/batch", "{\"direction\":\"download\",\"items\":[]}", "items"},
        {"/s3/presign/upload-dir", "{\"group\":\"g\",\"relpaths\":[\"ok\",\"/etc/passwd\"]}", "relpaths[1]"},
        {"/s3/presign/upload-dir", "{\"group\":\"g g\",\"relpaths\":[\"ok\"]}", "group"}};
    for (String[] c : cases) {
      HttpResponse<String> r = http.post(c[0], c[1]);
      assertThat(r.statusCode()).as(c[1]).isEqualTo(400);
      assertThat(RawHttp.json(r).path("error").path("details").findValuesAsText("field")).as(c[1]).contains(c[2]);
    }
    for (String[] c : new String[][] {{"/s3/list?prefix=s3://elsewhere/", "prefix"},
        {"/s3/parquet?path=s3://vxdata/a.parquet&limit=1001", "limit"},
        {"/s3/parquet?path=s3://vxdata/a.parquet&offset=-1", "offset"},
        {"/s3/parquet?path=/etc/passwd", "path"}, {"/s3/list?prefix=s3://vxdata/&page=2", "page"}}) {
      HttpResponse<String> r = http.get(c[0]);
      assertThat(r.statusCode()).as(c[0]).isEqualTo(400);
      assertThat(RawHttp.json(r).path("error").path("details").findValuesAsText("field")).as(c[0]).contains(c[1]);
    }
    assertThat(http.get("/s3/parquet?path=s3://vxdata/missing.parquet").statusCode()).isEqualTo(404);
  }
}
