package io.vxdata.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.vxdata.PatientRegistration;
import io.vxdata.Registration;
import io.vxdata.StudyRegistration;
import io.vxdata.VxData;
import io.vxdata.json.RequestJson;
import io.vxdata.json.RequestJson.RegistrationItem;
import java.util.List;

/**
 * {@code /patients/register|resolve} and {@code /studies/register|resolve} (docs/behaviour.md §5). The register
 * routes take one key object, or a list of items registered in one all-or-nothing write.
 */
final class RegistrationController {

  /** The caller's view of the store (docs/behaviour.md §13): what every handler calls. */
  private static VxData vx(Context ctx) {
    return Authenticator.view(ctx);
  }

  void registerPatient(Context ctx) {
    JsonNode body = HttpIo.body(ctx);
    if (body.isArray()) {
      List<PatientRegistration> items = RequestJson.registrationItemsFromJson(body,
          RequestJson.RegistrationKey.DATASOURCE_ID).stream()
          .map(i -> new PatientRegistration(i.parent(), i.externalUid(), i.fields())).toList();
      var batch = vx(ctx).registerPatients(items);
      HttpIo.written(ctx, batch.committedAt(), RequestJson.registeredBatch(batch));
      return;
    }
    RequestJson.RegistrationKey r = RequestJson.RegistrationKey.fromJson(body, RequestJson.RegistrationKey.DATASOURCE_ID);
    registered(ctx, vx(ctx).registerPatient(r.parent(), r.externalUid()));
  }

  void resolvePatient(Context ctx) {
    RequestJson.RegistrationKey r = key(ctx, RequestJson.RegistrationKey.DATASOURCE_ID);
    HttpIo.json(ctx, RequestJson.identifier(vx(ctx).resolvePatient(r.parent(), r.externalUid())));
  }

  void registerStudy(Context ctx) {
    JsonNode body = HttpIo.body(ctx);
    if (body.isArray()) {
      List<RegistrationItem> items = RequestJson.registrationItemsFromJson(body,
          RequestJson.RegistrationKey.PATIENT_IDENTIFIER);
      var batch = vx(ctx).registerStudies(items.stream()
          .map(i -> new StudyRegistration(i.parent(), i.externalUid(), i.fields())).toList());
      HttpIo.written(ctx, batch.committedAt(), RequestJson.registeredBatch(batch));
      return;
    }
    RequestJson.RegistrationKey r = RequestJson.RegistrationKey.fromJson(body,
        RequestJson.RegistrationKey.PATIENT_IDENTIFIER);
    registered(ctx, vx(ctx).registerStudy(r.parent(), r.externalUid()));
  }

  void resolveStudy(Context ctx) {
    RequestJson.RegistrationKey r = key(ctx, RequestJson.RegistrationKey.PATIENT_IDENTIFIER);
    HttpIo.json(ctx, RequestJson.identifier(vx(ctx).resolveStudy(r.parent(), r.externalUid())));
  }

  private static RequestJson.RegistrationKey key(Context ctx, String parentKey) {
    return RequestJson.RegistrationKey.fromJson(HttpIo.body(ctx), parentKey);
  }

  private static void registered(Context ctx, Registration registration) {
    HttpIo.written(ctx, registration.committedAt(), RequestJson.registered(registration));
  }
}
