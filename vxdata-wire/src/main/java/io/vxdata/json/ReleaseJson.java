package io.vxdata.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vxdata.AsOf;
import io.vxdata.ValidationException;
import io.vxdata.release.Release;
import io.vxdata.release.ReleasePage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The JSON of the release routes (docs/behaviour.md §14.4), both ways. The request body is read strictly
 * (unknown keys and wrong types are a {@link ValidationException} naming the member); answers leniently.
 */
public final class ReleaseJson {

  private ReleaseJson() {}

  /**
   * The body of {@code POST /releases}: {@code {name, as_of?, description?}}.
   *
   * @param name the release's name
   * @param at the time it names ({@link AsOf#latest()}: the last commit)
   * @param description what it is for, or {@code null}
   */
  public record Create(String name, AsOf at, String description) {
    private static final Set<String> KEYS = Set.of("name", "as_of", "description");

    /** The JSON body; {@code as_of} and {@code description} only when set. */
    public ObjectNode toJson() {
      ObjectNode node = Json.nodes().objectNode().put("name", name);
      at.instant().ifPresent(t -> node.put("as_of", Json.formatInstant(t)));
      if (description != null) {
        node.put("description", description);
      }
      return node;
    }

    /** Reads the body strictly. */
    public static Create fromJson(JsonNode json) {
      Members m = Members.of(json, "the request body", "", KEYS);
      Instant at = m.time("as_of");
      return new Create(m.requiredString("name"), at == null ? AsOf.latest() : AsOf.at(at), m.string("description"));
    }
  }

  /** {@code {"name", "transaction_time", "description", "created_by", "created_at"}}. */
  public static ObjectNode toJson(Release r) {
    ObjectNode node = Json.nodes().objectNode().put("name", r.name())
        .put("transaction_time", Json.formatInstant(r.transactionTime()));
    if (r.description() == null) {
      node.putNull("description");
    } else {
      node.put("description", r.description());
    }
    return node.put("created_by", r.createdBy()).put("created_at", Json.formatInstant(r.createdAt()));
  }

  /** Reads a release as {@link #toJson(Release)} writes it. */
  public static Release fromJson(JsonNode json) {
    Members m = Members.object(json, "a release", "", null);
    return new Release(m.requiredString("name"), m.instant("transaction_time"), m.string("description"),
        m.requiredString("created_by"), m.instant("created_at"));
  }

  /** {@code {"releases": [...], "next_cursor", "limit"}}. */
  public static ObjectNode pageToJson(ReleasePage page) {
    ObjectNode node = Json.nodes().objectNode();
    ArrayNode releases = node.putArray("releases");
    page.releases().forEach(r -> releases.add(toJson(r)));
    if (page.nextCursor() == null) {
      node.putNull("next_cursor");
    } else {
      node.put("next_cursor", page.nextCursor());
    }
    return node.put("limit", page.limit());
  }

  /** Reads a page as {@link #pageToJson(ReleasePage)} writes it. */
  public static ReleasePage pageFromJson(JsonNode json) {
    Members m = Members.object(json, "a page of releases", "", null);
    List<Release> releases = new ArrayList<>();
    JsonNode array = m.required("releases");
    array.forEach(r -> releases.add(fromJson(r)));
    Integer limit = m.integer("limit");
    return new ReleasePage(releases, m.string("next_cursor"), limit == null ? releases.size() : limit);
  }
}
