package io.vxdata.jdbc.internal;

import io.vxdata.NotFoundException;
import io.vxdata.Registration;
import io.vxdata.Resource;
import io.vxdata.ValidationException;
import io.vxdata.schema.BuiltInTypes;
import io.vxdata.spi.Identifiers;
import io.vxdata.spi.Limits;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.argument.Argument;
import java.util.Map;
import java.util.Optional;

/**
 * Patients and studies registered by key (docs/behaviour.md §5): a patient by (its datasource, external uid), a study
 * by (its patient, external uid), with identifiers the store allocates.
 */
final class Registrations {

  private final Transactions transactions;
  private final Catalogs catalogs;

  Registrations(Transactions transactions, Catalogs catalogs) {
    this.transactions = transactions;
    this.catalogs = catalogs;
  }

  Registration registerPatient(Caller caller, String datasourceId, String externalUid) {
    checkKey("datasource_id", datasourceId, externalUid);
    return registered(transactions.write(caller, "register_patient", w -> {
      requireActiveOf(w, datasourceId, BuiltInTypes.DATASOURCE, "datasource_id");
      anyHolder(caller, BuiltInTypes.PATIENT, datasourceId, externalUid).ifPresent(existing -> {
        throw ValidationException.of(named(caller, existing, BuiltInTypes.PATIENT, datasourceId, externalUid),
            "external_uid", "'%s' is already registered under datasource '%s'", externalUid, datasourceId);
      });
      return w.register("pt", BuiltInTypes.PATIENT, datasourceId,
          Map.of("datasource_id", datasourceId, "external_uid", externalUid));
    }));
  }

  String resolvePatient(Caller caller, String datasourceId, String externalUid) {
    checkKey("datasource_id", datasourceId, externalUid);
    return find(caller, BuiltInTypes.PATIENT, datasourceId, externalUid)
        .orElseThrow(() -> NotFoundException.of(null, "no patient with external uid '%s' under datasource '%s'",
            externalUid, datasourceId));
  }

  Registration registerStudy(Caller caller, String patientIdentifier, String externalUid) {
    checkKey("patient_identifier", patientIdentifier, externalUid);
    return registered(transactions.write(caller, "register_study", w -> {
      requireActiveOf(w, patientIdentifier, BuiltInTypes.PATIENT, "patient_identifier");
      anyHolder(caller, BuiltInTypes.STUDY, patientIdentifier, externalUid)
          .ifPresent(existing -> {
            throw ValidationException.of(named(caller, existing, BuiltInTypes.STUDY, patientIdentifier, externalUid),
                "external_uid", "'%s' is already registered under patient '%s'", externalUid, patientIdentifier);
          });
      return w.register("st", BuiltInTypes.STUDY, patientIdentifier, Map.of("external_uid", externalUid));
    }));
  }

  String resolveStudy(Caller caller, String patientIdentifier, String externalUid) {
    checkKey("patient_identifier", patientIdentifier, externalUid);
    return find(caller, BuiltInTypes.STUDY, patientIdentifier, externalUid)
        .orElseThrow(() -> NotFoundException.of(null, "no study with external uid '%s' under patient '%s'",
            externalUid, patientIdentifier));
  }

  private static Registration registered(Transactions.Committed<String> c) {
    return new Registration(c.value(), c.at());
  }

  private static void checkKey(String ownerField, String owner, String externalUid) {
    if (!Identifiers.isValid(owner)) {
      throw ValidationException.of(owner, ownerField, "%s", Identifiers.describeProblem(owner));
    }
    if (externalUid == null || externalUid.isEmpty()) {
      throw ValidationException.of(owner, "external_uid", "is required and may not be empty");
    }
    String problem = Limits.textProblem(externalUid, true);
    if (problem != null) {
      throw ValidationException.of(owner, "external_uid", "%s", problem);
    }
  }

  /**
   * The holder of a key, whoever may see it: a registration must not take a key that is held. When
   * the key is held twice (a store from before keys were enforced), only the system handle is told by
   * which resources.
   */
  private Optional<String> anyHolder(Caller caller, String type, String parent, String externalUid) {
    try {
      return find(Caller.SYSTEM, type, parent, externalUid);
    } catch (ValidationException e) {
      if (caller.system()) {
        throw e;
      }
      throw ValidationException.of(null, BuiltInTypes.EXTERNAL_UID, "the key '%s' under '%s' is taken", externalUid,
          parent);
    }
  }

  /**
   * The holder of a taken key as the answer may name it: itself if {@code caller} may see it, else
   * nothing, so that the refusal does not reveal which resource holds it (docs/behaviour.md §13.3).
   */
  private String named(Caller caller, String holder, String type, String parent, String externalUid) {
    return caller.system() || find(caller, type, parent, externalUid).isPresent() ? holder : null;
  }

  private static void requireActiveOf(WriteTransaction w, String identifier, String type, String field) {
    w.load(List.of(identifier));
    Resource owner = w.currentRow(identifier);
    if (owner == null || owner.isDeleted() || !w.visible(owner)) {
      throw NotFoundException.of(identifier, "%s '%s' is unknown or deleted", type, identifier);
    }
    if (!owner.payloadType().equals(type)) {
      throw ValidationException.of(identifier, field, "'%s' is a %s, not a %s", identifier, owner.payloadType(), type);
    }
  }

  /**
   * The active resource of {@code type} keyed by ({@code parent}, {@code externalUid}): the key every
   * write path keeps unique (docs/behaviour.md §12.3), and the one the unique index holds, so registering, resolving
   * and the other writes agree. A store written before keys were enforced may still hold a key twice
   * (it then has no key index yet, see {@link TypeRegistry#ensureKeyIndexes()}): that is refused, not
   * guessed. For a principal's view, only a holder it may see is found (docs/behaviour.md §13.3).
   */
  private Optional<String> find(Caller caller, String type, String parent, String externalUid) {
    TypeTable table = catalogs.current().table(type);
    List<Argument> args = new ArrayList<>(List.of(Sql.text(parent), Sql.text(externalUid)));
    Visibility.Branch branch = Visibility.lastCommit(caller).visible(table).get(0);
    String sql = "SELECT identifier FROM " + branch.table() + " WHERE parent_identifier = ? AND "
        + TypeTable.quote(BuiltInTypes.EXTERNAL_UID) + " = ? AND NOT is_deleted" + branch.and(args)
        + " ORDER BY identifier";
    List<String> holders = transactions.withHandle(h -> Sql.bindAll(h.createQuery(sql), args)
        .setMaxRows(2)
        .mapTo(String.class)
        .list());
    if (holders.size() > 1) {
      throw ValidationException.of(holders.get(0), BuiltInTypes.EXTERNAL_UID,
          "the key '%s' under '%s' is held by several active %ss (%s, ...), written before keys were enforced;"
              + " give all but one another external_uid", externalUid, parent, type, String.join(", ", holders));
    }
    return holders.stream().findFirst();
  }
}
