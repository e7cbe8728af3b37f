package io.vxdata.http;

import io.javalin.http.Context;
import io.vxdata.Registration;
import io.vxdata.VxData;
import io.vxdata.json.RequestJson;

/** {@code /patients/register|resolve} and {@code /studies/register|resolve} (docs/behaviour.md §5). */
final class RegistrationController {

  /** The caller's view of the store (docs/behaviour.md §13): what every handler calls. */
  private static VxData vx(Context ctx) {
    return Authenticator.view(ctx);
  }

  void registerPatient(Context ctx) {
    RequestJson.RegistrationKey r = key(ctx, RequestJson.RegistrationKey.DATASOURCE_ID);
    registered(ctx, vx(ctx).registerPatient(r.parent(), r.externalUid()));
  }

  void resolvePatient(Context ctx) {
    RequestJson.RegistrationKey r = key(ctx, RequestJson.RegistrationKey.DATASOURCE_ID);
    HttpIo.json(ctx, RequestJson.identifier(vx(ctx).resolvePatient(r.parent(), r.externalUid())));
  }

  void registerStudy(Context ctx) {
    RequestJson.RegistrationKey r = key(ctx, RequestJson.RegistrationKey.PATIENT_IDENTIFIER);
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
