package io.vxdata.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * HTTPS from two PEM files ({@link ServerOptions.Tls}): a certificate chain and its PKCS #8 private key
 * ({@code -----BEGIN PRIVATE KEY-----}; RSA, EC or EdDSA), served by a Jetty TLS connector in place of
 * the plain one. A PKCS #1 or SEC 1 key ({@code BEGIN RSA PRIVATE KEY}, {@code BEGIN EC PRIVATE KEY}) is
 * refused with the {@code openssl} command that converts it.
 */
final class Tls {

  private static final Pattern KEY = Pattern.compile(
      "-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");
  private static final char[] PASSWORD = "vxdata".toCharArray();

  private Tls() {}

  /** The connector serving HTTPS on {@code host:port}. */
  static Connector connector(Server server, HttpConfiguration config, ServerOptions.Tls tls, String host, int port) {
    SslContextFactory.Server ssl = new SslContextFactory.Server();
    ssl.setKeyStore(keyStore(tls.certificate(), tls.privateKey()));
    ssl.setKeyStorePassword(new String(PASSWORD));
    HttpConfiguration https = new HttpConfiguration(config);
    SecureRequestCustomizer secure = new SecureRequestCustomizer();
    secure.setSniHostCheck(false); // clients may call by IP address or an alias the certificate does not name
    https.addCustomizer(secure);
    ServerConnector connector = new ServerConnector(server, new SslConnectionFactory(ssl, "http/1.1"),
        new HttpConnectionFactory(https));
    connector.setHost(host);
    connector.setPort(port);
    return connector;
  }

  /**
   * A key store holding the key and its chain.
   *
   * @throws IllegalArgumentException naming the file at fault
   */
  static KeyStore keyStore(Path certificate, Path privateKey) {
    List<Certificate> chain;
    try (InputStream in = Files.newInputStream(certificate)) {
      chain = List.copyOf(CertificateFactory.getInstance("X.509").generateCertificates(in));
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot read the TLS certificate " + certificate + ": " + e.getMessage(), e);
    }
    if (chain.isEmpty()) {
      throw new IllegalArgumentException("no PEM certificate in " + certificate);
    }
    PrivateKey key = privateKey(privateKey);
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry("vxdata", key, PASSWORD, chain.toArray(Certificate[]::new));
      return store;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException("the TLS key " + privateKey + " does not go with the certificate "
          + certificate + ": " + e.getMessage(), e);
    }
  }

  private static PrivateKey privateKey(Path file) {
    String pem;
    try {
      pem = Files.readString(file);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the TLS key " + file + ": " + e.getMessage(), e);
    }
    Matcher m = KEY.matcher(pem);
    if (!m.find()) {
      throw new IllegalArgumentException("the TLS key " + file + " is not a PEM PKCS #8 key (BEGIN PRIVATE KEY);"
          + " convert it with: openssl pkcs8 -topk8 -nocrypt -in " + file + " -out key.pem");
    }
    byte[] der = Base64.getMimeDecoder().decode(m.group(1));
    for (String algorithm : List.of("RSA", "EC", "Ed25519", "Ed448")) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (GeneralSecurityException e) {
        // try the next algorithm
      }
    }
    throw new IllegalArgumentException("the TLS key " + file + " is neither an RSA, EC nor EdDSA key");
  }
}
