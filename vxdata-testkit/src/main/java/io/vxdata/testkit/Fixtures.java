package io.vxdata.testkit;

import io.vxdata.NewResource;
import io.vxdata.Resource;
import io.vxdata.ResourceUpdate;
import io.vxdata.relation.Link;
import io.vxdata.schema.BuiltInTypes;
import java.util.List;

/** Small resources of the built-in types, and shorthands for updates, as the conformance tests use them. */
public final class Fixtures {

  private Fixtures() {}

  /** A datasource named after its identifier. */
  public static NewResource datasource(String identifier) {
    return NewResource.builder(BuiltInTypes.DATASOURCE, identifier).set("name", "Datasource " + identifier).build();
  }

  /**
   * A patient under {@code datasource}, created directly rather than registered; its external uid,
   * which every patient needs, is made from the identifier.
   */
  public static NewResource patient(String identifier, String datasource) {
    return NewResource.builder(BuiltInTypes.PATIENT, identifier).parent(datasource)
        .set("external_uid", "uid-" + identifier).set("sex", "U").build();
  }

  /** A study under {@code patient} with the given external uid. */
  public static NewResource study(String identifier, String patient, String externalUid) {
    return NewResource.builder(BuiltInTypes.STUDY, identifier).parent(patient).set("external_uid", externalUid).build();
  }

  /** An artefact under {@code parent}, which may be of any type or {@code null}. */
  public static NewResource artefact(String identifier, String parent) {
    return NewResource.builder(BuiltInTypes.ARTEFACT, identifier).parent(parent)
        .set("uri", "s3://bucket/" + identifier).build();
  }

  /** A family under {@code datasource}, named after its identifier. */
  public static NewResource family(String identifier, String datasource) {
    return NewResource.builder(BuiltInTypes.FAMILY, identifier).parent(datasource).set("name", "Family " + identifier)
        .build();
  }

  /** The link of {@code patient} to the family it is a member of. */
  public static Link member(String patient, String family) {
    return new Link(BuiltInTypes.MEMBER_OF, patient, family);
  }

  /** An update setting one field. */
  public static ResourceUpdate change(String field, Object value) {
    return ResourceUpdate.builder().set(field, value).build();
  }

  /** The identifiers of {@code resources}, in order. */
  public static List<String> identifiers(List<Resource> resources) {
    return resources.stream().map(Resource::identifier).toList();
  }
}
