package io.vxdata.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.vxdata.ForbiddenException;
import io.vxdata.access.Principal;
import io.vxdata.ValidationException;
import io.vxdata.json.Json;
import io.vxdata.json.ObjectStorageJson;
import io.vxdata.parquet.ParquetPreview;
import io.vxdata.s3.ObjectStorage;
import io.vxdata.s3.ObjectStorage.Direction;
import io.vxdata.s3.ObjectStorage.Presigned;
import io.vxdata.spi.Limits;
import java.util.List;
import java.util.Set;

/** The {@code /s3/*} routes (docs/behaviour.md §9): configuration, presigned URLs, listing and Parquet preview. */
final class ObjectStorageController {

  private final ObjectStorage storage;

  ObjectStorageController(ObjectStorage storage) {
    this.storage = storage;
  }

  /**
   * {@code handler} for admins only (docs/behaviour.md §9): an object key says nothing of whose data
   * the object holds, and the bucket is not divided by datasource, so a grant on one datasource cannot
   * be turned into a right to some objects. Until it can, presigning, listing and previewing are the
   * admins' (and the system handle's).
   */
  static Handler adminOnly(Handler handler) {
    return ctx -> {
      Principal caller = Authenticator.view(ctx).access().whoami();
      if (!caller.admin()) {
        throw new ForbiddenException("principal '%s' may not use object storage: the /s3 routes need an admin"
            + " (objects are not divided by datasource)", caller.id());
      }
      handler.handle(ctx);
    };
  }

  void config(Context ctx) {
    HttpIo.queryParams(ctx, Set.of());
    ObjectStorage.Config config = storage.config();
    HttpIo.json(ctx, Json.mapper().createObjectNode().put("s3_endpoint", config.endpoint())
        .put("s3_bucket", config.bucket()));
  }

  void presign(Context ctx) {
    ObjectStorageJson.Presign request = ObjectStorageJson.Presign.fromJson(HttpIo.body(ctx));
    HttpIo.json(ctx, presigned(presign(Direction.parse(request.direction()), request.item(), "")));
  }

  void presignBatch(Context ctx) {
    ObjectStorageJson.PresignBatch request = ObjectStorageJson.PresignBatch.fromJson(HttpIo.body(ctx));
    Direction direction = Direction.parse(request.direction());
    Limits.checkCount(request.items().size(), Limits.MAX_PRESIGN_ITEMS, "items", "items");
    // Presigning is local signing, no request: a bad item fails the batch with nothing to undo.
    List<Presigned> urls = new java.util.ArrayList<>();
    for (int i = 0; i < request.items().size(); i++) {
      urls.add(presign(direction, request.items().get(i), "items[" + i + "]."));
    }
    ObjectNode answer = Json.mapper().createObjectNode();
    ArrayNode list = answer.putArray("urls");
    urls.forEach(p -> list.add(presigned(p)));
    HttpIo.json(ctx, answer);
  }

  void presignUploadDirectory(Context ctx) {
    ObjectStorageJson.UploadDirectory request = ObjectStorageJson.UploadDirectory.fromJson(HttpIo.body(ctx));
    ObjectStorage.UploadDirectory dir = storage.presignUploadDirectory(request.group(), request.relpaths());
    ObjectNode answer = Json.mapper().createObjectNode().put("root", dir.root());
    ArrayNode items = answer.putArray("items");
    dir.items().forEach(p -> items.add(presigned(p)));
    HttpIo.json(ctx, answer);
  }

  void list(Context ctx) {
    HttpIo.queryParams(ctx, Set.of("prefix"));
    ObjectNode answer = Json.mapper().createObjectNode();
    ArrayNode keys = answer.putArray("keys");
    storage.list(ctx.queryParam("prefix")).forEach(keys::add);
    HttpIo.json(ctx, answer);
  }

  void parquet(Context ctx) {
    HttpIo.queryParams(ctx, Set.of("path", "limit", "offset"));
    long offset = number(ctx, "offset", 0);
    long limit = number(ctx, "limit", 100);
    if (limit > ParquetPreview.MAX_LIMIT || limit < 1) {
      throw ValidationException.of(null, "limit", "must be between 1 and %d, not %d", ParquetPreview.MAX_LIMIT, limit);
    }
    ParquetPreview.Preview preview = storage.previewParquet(ctx.queryParam("path"), offset, (int) limit);
    ObjectNode answer = Json.mapper().createObjectNode();
    answer.set("columns", Json.mapper().valueToTree(preview.columns()));
    answer.set("schema", Json.mapper().valueToTree(preview.schema()));
    answer.put("total_rows", preview.totalRows());
    answer.put("returned_rows", preview.returnedRows());
    answer.put("offset", preview.offset());
    answer.set("data", Json.mapper().valueToTree(preview.data()));
    HttpIo.json(ctx, answer);
  }

  private Presigned presign(Direction direction, ObjectStorageJson.PresignItem item, String prefix) {
    try {
      if (direction == Direction.UPLOAD) {
        if (item.path() != null) {
          throw ValidationException.of(null, prefix + "path", "an upload gets a fresh path: give filename and group");
        }
        return storage.presignUpload(item.group(), item.filename());
      }
      if (item.filename() != null || item.group() != null) {
        throw ValidationException.of(null, prefix + (item.filename() != null ? "filename" : "group"),
            "a download needs only the path");
      }
      return storage.presignDownload(item.path());
    } catch (ValidationException e) {
      if (prefix.isEmpty()) {
        throw e;
      }
      throw new ValidationException(e.violations().stream().map(v -> new io.vxdata.Violation(v.identifier(),
          v.field() == null ? prefix : prefix + v.field(), v.message())).toList());
    }
  }

  private static ObjectNode presigned(Presigned p) {
    return Json.mapper().createObjectNode().put("url", p.url()).put("path", p.path());
  }

  private static long number(Context ctx, String name, long fallback) {
    String text = ctx.queryParam(name);
    if (text == null) {
      return fallback;
    }
    try {
      long value = Long.parseLong(text.trim());
      if (value >= 0) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw ValidationException.of(null, name, "must be a non-negative whole number, not '%s'", text);
  }
}
