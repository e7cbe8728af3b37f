package io.vxdata.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.vxdata.AccessLevel;
import io.vxdata.VxData;
import io.vxdata.access.IssuedToken;
import io.vxdata.access.Principal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Tokens are stored as the SHA-256 of their secret, never the secret itself (docs/behaviour.md §13.5): asserted on the row. */
class TokenStorageTest {

  @Test
  void theTokenRowHoldsTheHashAndNotTheSecret() throws Exception {
    String url = VxDataStore.h2Memory("tokens-" + UUID.randomUUID());
    try (VxData vx = VxDataStore.open(url)) {
      vx.access().createPrincipal(Principal.of("hank", "Hank", AccessLevel.INTERNAL));
      IssuedToken token = vx.access().issueToken("hank", null);
      String expected = HexFormat.of().formatHex(
          MessageDigest.getInstance("SHA-256").digest(token.secret().getBytes(StandardCharsets.UTF_8)));
      try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT * FROM vx_token")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString("secret_hash")).isEqualTo(expected);
        int columns = rs.getMetaData().getColumnCount();
        for (int i = 1; i <= columns; i++) {
          String value = rs.getString(i);
          assertThat(value == null || !value.contains(token.secret())).as("column %d", i).isTrue();
        }
        assertThat(rs.next()).isFalse();
      }
    }
  }
}
