package io.vxdata.jdbc.internal;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Server-allocated identifiers (docs/behaviour.md §5): a prefix, the transaction time in microseconds as 13
 * fixed-width Crockford base-32 digits, and 8 random digits. Transaction times strictly increase
 * across commits, so later registrations sort after earlier ones; nothing in the identifier is
 * derived from the external uid.
 */
final class IdAllocator {

  private static final char[] DIGITS = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
  private static final SecureRandom RANDOM = new SecureRandom();

  private IdAllocator() {}

  static String allocate(String prefix, Instant tx) {
    long micros = ChronoUnit.MICROS.between(Instant.EPOCH, tx);
    StringBuilder sb = new StringBuilder(prefix).append('-');
    for (int shift = 60; shift >= 0; shift -= 5) {
      sb.append(DIGITS[(int) (micros >>> shift) & 31]);
    }
    // 40 random bits from one call (a SecureRandom call costs far more than the bits): 8 digits of 5.
    byte[] random = new byte[5];
    RANDOM.nextBytes(random);
    long bits = 0;
    for (byte b : random) {
      bits = bits << 8 | (b & 0xFF);
    }
    for (int shift = 35; shift >= 0; shift -= 5) {
      sb.append(DIGITS[(int) (bits >>> shift) & 31]);
    }
    return sb.toString();
  }
}
