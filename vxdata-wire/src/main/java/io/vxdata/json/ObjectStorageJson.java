package io.vxdata.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The request bodies of the object storage routes (docs/behaviour.md §9), read strictly: an unknown key or a wrong
 * JSON type is a {@link io.vxdata.ValidationException} naming the key. The names themselves are
 * checked by the object storage module.
 */
public final class ObjectStorageJson {

  private ObjectStorageJson() {}

  /**
   * One presign item: {@code upload} needs {@code filename} and {@code group}, {@code download}
   * needs {@code path}.
   */
  public record PresignItem(String path, String filename, String group) {}

  /** {@code POST /s3/presign}: a direction and one item. */
  public record Presign(String direction, PresignItem item) {
    private static final Set<String> KEYS = Set.of("direction", "path", "filename", "group");

    /** Reads the body strictly. */
    public static Presign fromJson(JsonNode json) {
      Members m = Members.of(json, "the request body", "", KEYS);
      return new Presign(m.requiredString("direction"),
          new PresignItem(m.string("path"), m.string("filename"), m.string("group")));
    }
  }

  /** {@code POST /s3/presign/batch}: a direction and items, answered in order. */
  public record PresignBatch(String direction, List<PresignItem> items) {
    private static final Set<String> KEYS = Set.of("direction", "items");
    private static final Set<String> ITEM_KEYS = Set.of("path", "filename", "group");

    /** Reads the body strictly. */
    public static PresignBatch fromJson(JsonNode json) {
      Members m = Members.of(json, "the request body", "", KEYS);
      String direction = m.requiredString("direction");
      JsonNode items = m.required("items");
      if (!items.isArray() || items.isEmpty()) {
        throw m.fail("items", "must be a non-empty list of {path} or {filename, group} objects");
      }
      List<PresignItem> parsed = new ArrayList<>();
      for (int i = 0; i < items.size(); i++) {
        Members item = Members.of(items.get(i), "a presign item", "items[" + i + "]", ITEM_KEYS);
        parsed.add(new PresignItem(item.string("path"), item.string("filename"), item.string("group")));
      }
      return new PresignBatch(direction, List.copyOf(parsed));
    }
  }

  /** {@code POST /s3/presign/upload-dir}: a group and the relative paths to upload. */
  public record UploadDirectory(String group, List<String> relpaths) {
    private static final Set<String> KEYS = Set.of("group", "relpaths");

    /** Reads the body strictly. */
    public static UploadDirectory fromJson(JsonNode json) {
      Members m = Members.of(json, "the request body", "", KEYS);
      return new UploadDirectory(m.requiredString("group"), m.requiredStrings("relpaths"));
    }
  }
}
