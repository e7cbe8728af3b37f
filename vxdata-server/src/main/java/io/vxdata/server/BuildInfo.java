package io.vxdata.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * What the server was built from, as {@code --version} prints it: the project version and the git
 * commit, both written into {@code build.properties} by the build ({@code src/build/BuildProperties.java}).
 *
 * @param version the project version, e.g. {@code 0.1.0-SNAPSHOT}
 * @param commit the full git commit id, or {@code null} if the jar was built outside a git work tree
 * @param commitTime when that commit was made (ISO 8601), or {@code null}
 * @param dirty whether the work tree had uncommitted changes when the jar was built
 */
record BuildInfo(String version, String commit, String commitTime, boolean dirty) {

  /** Reads {@code build.properties} from the class path. */
  static BuildInfo current() {
    Properties p = new Properties();
    try (InputStream in = BuildInfo.class.getResourceAsStream("build.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String version = filled(p.getProperty("version"));
    return new BuildInfo(version == null ? "unknown" : version, filled(p.getProperty("commit")),
        filled(p.getProperty("commit.time")), "true".equals(filled(p.getProperty("dirty"))));
  }

  /** A value the build wrote, or {@code null} for a missing or empty one (or a placeholder left unfilled). */
  private static String filled(String value) {
    return value == null || value.isBlank() || value.startsWith("${") ? null : value.trim();
  }

  /**
   * The line {@code --version} prints, e.g. {@code vxdata-server 0.1.0 (commit 735375d1c2…, 2026-12-01T16:58:12Z)}.
   */
  String line() {
    String commitPart = commit == null ? "commit unknown: built outside a git work tree"
        : "commit " + commit + (commitTime == null ? "" : ", " + commitTime)
            + (dirty ? ", with uncommitted changes" : "");
    return "vxdata-server " + version + " (" + commitPart + ")";
  }
}
