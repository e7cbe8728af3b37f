package io.vxdata.s3;

import io.vxdata.ValidationException;
import java.util.regex.Pattern;

/**
 * The naming rules of docs/behaviour.md §9, checked before any call reaches object storage: paths are
 * {@code s3://bucket/key} inside the configured bucket; groups are {@code [A-Za-z0-9._-]+}; file
 * names and relative paths have no {@code ..} segment, no empty segment, no leading slash and no
 * control characters.
 */
final class ObjectPaths {

  private static final Pattern GROUP = Pattern.compile("[A-Za-z0-9._-]{1,128}");
  private static final int MAX_KEY_BYTES = 1024;

  private final String bucket;

  ObjectPaths(String bucket) {
    this.bucket = bucket;
  }

  /** The key of {@code s3://bucket/key}; the prefix form may end with a slash or be just the bucket. */
  String key(String path, String field, boolean prefix) {
    if (path == null || path.isEmpty()) {
      throw ValidationException.of(null, field, "is required (an s3://%s/... path)", bucket);
    }
    String root = "s3://" + bucket;
    if (!path.equals(root) && !path.startsWith(root + "/")) {
      throw ValidationException.of(null, field, "'%s' is outside the bucket: paths must start with s3://%s/",
          printable(path), bucket);
    }
    String key = path.length() <= root.length() + 1 ? "" : path.substring(root.length() + 1);
    if (key.isEmpty()) {
      if (prefix) {
        return "";
      }
      throw ValidationException.of(null, field, "'%s' names no object", printable(path));
    }
    checkSegments(prefix && key.endsWith("/") ? key.substring(0, key.length() - 1) : key, field);
    return key;
  }

  String group(String group) {
    if (group == null || !GROUP.matcher(group).matches() || group.equals(".") || group.equals("..")) {
      throw ValidationException.of(null, "group", "'%s' is not a group: use 1-128 characters of [A-Za-z0-9._-]",
          group == null ? "" : printable(group));
    }
    return group;
  }

  String filename(String filename) {
    if (filename != null && filename.contains("/")) {
      throw ValidationException.of(null, "filename", "'%s' must be a plain file name, without '/'", printable(filename));
    }
    checkSegments(filename, "filename");
    return filename;
  }

  String relpath(String relpath, int index) {
    String field = "relpaths[" + index + "]";
    if (relpath != null && relpath.startsWith("/")) {
      throw ValidationException.of(null, field, "'%s' is absolute; relative paths only", printable(relpath));
    }
    checkSegments(relpath, field);
    return relpath;
  }

  String path(String key) {
    return "s3://" + bucket + "/" + key;
  }

  private static void checkSegments(String name, String field) {
    if (name == null || name.isEmpty()) {
      throw ValidationException.of(null, field, "is required and may not be empty");
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (Character.isISOControl(c)) {
        throw ValidationException.of(null, field, "'%s' contains a control character", printable(name));
      }
      if (c == '\\') {
        throw ValidationException.of(null, field, "'%s' contains a backslash; use '/'", printable(name));
      }
    }
    for (String segment : name.split("/", -1)) {
      if (segment.isEmpty()) {
        throw ValidationException.of(null, field, "'%s' has an empty path segment", printable(name));
      }
      if (segment.equals("..") || segment.equals(".")) {
        throw ValidationException.of(null, field, "'%s' may not contain '%s' segments", printable(name), segment);
      }
    }
    if (name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
      throw ValidationException.of(null, field, "is longer than %d bytes", MAX_KEY_BYTES);
    }
  }

  /** The text with control characters escaped, safe to echo in an error message. */
  private static String printable(String text) {
    StringBuilder sb = new StringBuilder();
    text.codePoints().limit(200).forEach(cp -> {
      if (Character.isISOControl(cp)) {
        sb.append(String.format("\\u%04x", cp));
      } else {
        sb.appendCodePoint(cp);
      }
    });
    return sb.toString();
  }
}
