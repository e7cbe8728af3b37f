package io.vxdata.jdbc.internal;

import io.vxdata.ForbiddenException;
import io.vxdata.NewResource;
import io.vxdata.NotFoundException;
import io.vxdata.PatientRegistration;
import io.vxdata.Registration;
import io.vxdata.RegistrationBatch;
import io.vxdata.Resource;
import io.vxdata.StudyRegistration;
import io.vxdata.ValidationException;
import io.vxdata.Violation;
import io.vxdata.VxDataException;
import io.vxdata.schema.BuiltInTypes;
import io.vxdata.spi.Identifiers;
import io.vxdata.spi.Limits;
import io.vxdata.spi.RegistrationItems;
import io.vxdata.spi.WriteValidator;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
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

  RegistrationBatch registerPatients(Caller caller, List<PatientRegistration> patients) {
    Objects.requireNonNull(patients, "patients");
    return registerAll(caller, "register_patients", BuiltInTypes.PATIENT, "pt", "datasource_id",
        patients.stream().map(p -> p == null ? null : new Item(p.datasourceId(), p.externalUid(), p.fields())).toList());
  }

  RegistrationBatch registerStudies(Caller caller, List<StudyRegistration> studies) {
    Objects.requireNonNull(studies, "studies");
    return registerAll(caller, "register_studies", BuiltInTypes.STUDY, "st", "patient_identifier",
        studies.stream().map(s -> s == null ? null : new Item(s.patientIdentifier(), s.externalUid(), s.fields()))
            .toList());
  }

  /** One item of a batch registration: the resource it registers under, its external uid, its other fields. */
  private record Item(String owner, String externalUid, Map<String, Object> fields) {}

  /**
   * Registers {@code items} as resources of {@code type} in one write (docs/behaviour.md §5): the owners are read
   * in one statement, then the batch is one create (set-based: its checks, key checks included, and its
   * inserts take a few statements whatever the size). Problems name the item by its index, not by the
   * identifier it was to get, which means nothing to the caller since nothing was written.
   */
  private RegistrationBatch registerAll(Caller caller, String operation, String type, String prefix,
      String ownerField, List<Item> items) {
    WriteValidator.checkBatch(items.size(), "items");
    List<Violation> invalid = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      Item item = items.get(i);
      if (item == null) {
        invalid.add(new Violation(null, RegistrationItems.name(i, null), "is null"));
      } else {
        int index = i;
        keyProblem(ownerField, item.owner(), item.externalUid())
            .ifPresent(v -> invalid.add(new Violation(v.identifier(), RegistrationItems.name(index, v.field()),
                v.message())));
      }
    }
    WriteValidator.throwIfAny(invalid);
    if (items.isEmpty()) {
      return new RegistrationBatch(List.of(), transactions.lastCommitTime());
    }
    Map<String, Integer> indexes = new LinkedHashMap<>();
    try {
      Transactions.Committed<List<String>> c = transactions.write(caller, operation, w -> {
        Map<String, String> owners = w.activeVisibleTypes(new LinkedHashSet<>(items.stream().map(Item::owner).toList()));
        List<Violation> missing = new ArrayList<>();
        List<Violation> wrongType = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
          String owner = items.get(i).owner();
          String ownerIs = owners.get(owner);
          String field = RegistrationItems.name(i, ownerField);
          if (ownerIs == null) {
            missing.add(new Violation(owner, field, ownerType(type) + " '" + owner + "' is unknown or deleted"));
          } else if (!ownerIs.equals(ownerType(type))) {
            wrongType.add(new Violation(owner, field, "'" + owner + "' is a " + ownerIs + ", not a " + ownerType(type)));
          }
        }
        if (!missing.isEmpty()) {
          throw new NotFoundException(missing);
        }
        WriteValidator.throwIfAny(wrongType);
        // Allocated in one go and sorted, so that the identifiers of a batch are time-ordered in input order too.
        List<String> ids = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
          ids.add(w.allocate(prefix));
        }
        ids.sort(null);
        List<NewResource> resources = new ArrayList<>(items.size());
        List<Violation> fieldProblems = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
          Item item = items.get(i);
          indexes.put(ids.get(i), i);
          try {
            resources.add(RegistrationItems.toNewResource(i, type, ids.get(i), item.owner(), item.externalUid(),
                item.fields()));
          } catch (ValidationException e) {
            fieldProblems.addAll(e.violations());
          }
        }
        WriteValidator.throwIfAny(fieldProblems);
        w.create(resources);
        return ids;
      });
      return new RegistrationBatch(c.value(), c.at());
    } catch (ValidationException e) {
      throw new ValidationException(byIndex(e, indexes));
    } catch (NotFoundException e) {
      throw new NotFoundException(byIndex(e, indexes));
    } catch (ForbiddenException e) {
      throw new ForbiddenException("%s", renamed(e.getMessage(), indexes));
    }
  }

  private static String ownerType(String type) {
    return type.equals(BuiltInTypes.PATIENT) ? BuiltInTypes.DATASOURCE : BuiltInTypes.PATIENT;
  }

  /**
   * The violations of a failed batch with the identifiers it was to allocate replaced by the items'
   * indexes: {@code [i].field} for the field, and {@code item [i]} wherever the message names one.
   */
  private static List<Violation> byIndex(VxDataException e, Map<String, Integer> indexes) {
    if (e.violations().isEmpty()) {
      return List.of(new Violation(null, null, renamed(e.getMessage(), indexes)));
    }
    List<Violation> out = new ArrayList<>();
    for (Violation v : e.violations()) {
      Integer index = v.identifier() == null ? null : indexes.get(v.identifier());
      String field = index == null ? v.field() : RegistrationItems.name(index, v.field());
      out.add(new Violation(index == null ? v.identifier() : null, field, renamed(v.message(), indexes)));
    }
    return out;
  }

  private static String renamed(String message, Map<String, Integer> indexes) {
    String out = message;
    for (Map.Entry<String, Integer> e : indexes.entrySet()) {
      if (out.contains(e.getKey())) {
        out = out.replace("'" + e.getKey() + "'", "item " + RegistrationItems.name(e.getValue(), null))
            .replace(e.getKey(), "item " + RegistrationItems.name(e.getValue(), null));
      }
    }
    return out;
  }

  private static Registration registered(Transactions.Committed<String> c) {
    return new Registration(c.value(), c.at());
  }

  private static void checkKey(String ownerField, String owner, String externalUid) {
    keyProblem(ownerField, owner, externalUid).ifPresent(v -> {
      throw new ValidationException(List.of(v));
    });
  }

  private static Optional<Violation> keyProblem(String ownerField, String owner, String externalUid) {
    if (!Identifiers.isValid(owner)) {
      return Optional.of(new Violation(owner, ownerField, Identifiers.describeProblem(owner)));
    }
    if (externalUid == null || externalUid.isEmpty()) {
      return Optional.of(new Violation(owner, "external_uid", "is required and may not be empty"));
    }
    String problem = Limits.textProblem(externalUid, true);
    return problem == null ? Optional.empty() : Optional.of(new Violation(owner, "external_uid", problem));
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
   * (it then has no key index yet, see {@link TypeRegistry#ensureIndexes()}): that is refused, not
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
