package io.vxdata.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vxdata.VxData;
import io.vxdata.client.VxDataClient;
import io.vxdata.jdbc.TestH2;
import io.vxdata.query.QueryRequest;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS from a PEM certificate and PKCS #8 key ({@link ServerOptions#withTls}), made here with the JDK's keytool. */
class TlsTest {

  @Test
  void servesHttpsFromPemFilesAndTheClientTalksToIt(@TempDir Path dir) throws Exception {
    Path p12 = dir.resolve("server.p12");
    Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
        "-genkeypair", "-keyalg", "EC", "-groupname", "secp256r1", "-alias", "server", "-dname", "CN=localhost",
        "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2", "-keystore", p12.toString(), "-storetype",
        "PKCS12", "-storepass", "changeit").redirectErrorStream(true).start();
    keytool.getInputStream().readAllBytes();
    assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(p12)) {
      store.load(in, "changeit".toCharArray());
    }
    Certificate cert = store.getCertificate("server");
    Key key = store.getKey("server", "changeit".toCharArray());
    Path certPem = dir.resolve("cert.pem");
    Path keyPem = dir.resolve("key.pem");
    Files.writeString(certPem, pem("CERTIFICATE", cert.getEncoded()));
    Files.writeString(keyPem, pem("PRIVATE KEY", key.getEncoded()));

    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("server", cert);
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(null, tmf.getTrustManagers(), null);
    HttpClient http = HttpClient.newBuilder().sslContext(ssl).version(HttpClient.Version.HTTP_1_1).build();

    try (VxData vx = TestH2.openFreshMemoryStore();
         VxDataServer server = VxDataServer.start(vx, HttpBackend.testServerOptions()
             .withTls(new ServerOptions.Tls(certPem, keyPem)))) {
      assertThat(server.uri().getScheme()).isEqualTo("https");
      HttpResponse<String> health = http.send(HttpRequest.newBuilder(server.uri().resolve("/health")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(health.statusCode()).isEqualTo(200);
      VxData client = VxDataClient.builder(server.uri()).sslContext(ssl).build();
      assertThat(client.count(QueryRequest.of("datasource").build()).value()).isZero();
      URI plain = URI.create("http://127.0.0.1:" + server.port() + "/health");
      assertThatThrownBy(() -> HttpClient.newHttpClient().send(HttpRequest.newBuilder(plain).build(),
          HttpResponse.BodyHandlers.ofString())).as("plain HTTP to the TLS port").isInstanceOf(java.io.IOException.class);
    }
  }

  @Test
  void aKeyThatIsNotPkcs8IsRefusedWithTheCommandThatConvertsIt(@TempDir Path dir) throws Exception {
    Path cert = dir.resolve("cert.pem");
    Path key = dir.resolve("key.pem");
    Files.writeString(cert, "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
    Files.writeString(key, "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n");
    assertThatThrownBy(() -> Tls.keyStore(cert, key)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(cert.toString());
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
        .encodeToString(der) + "\n-----END " + type + "-----\n";
  }
}
