package io.vxdata.http;

import io.javalin.http.Context;
import io.vxdata.VxData;
import io.vxdata.json.RequestJson;
import io.vxdata.json.RequestJson.Registration;

/** {@code /patients/register|resolve} and {@code /studies/register|resolve} (§5). */
final class RegistrationController {

  private final VxData vx;

  RegistrationController(VxData vx) {
    this.vx = vx;
  }

  void registerPatient(Context ctx) {
    Registration r = Registration.fromJson(HttpIo.body(ctx), Registration.DATASOURCE_ID);
    HttpIo.json(ctx, RequestJson.identifier(vx.registerPatient(r.parent(), r.externalUid())));
  }

  void resolvePatient(Context ctx) {
    Registration r = Registration.fromJson(HttpIo.body(ctx), Registration.DATASOURCE_ID);
    HttpIo.json(ctx, RequestJson.identifier(vx.resolvePatient(r.parent(), r.externalUid())));
  }

  void registerStudy(Context ctx) {
    Registration r = Registration.fromJson(HttpIo.body(ctx), Registration.PATIENT_IDENTIFIER);
    HttpIo.json(ctx, RequestJson.identifier(vx.registerStudy(r.parent(), r.externalUid())));
  }

  void resolveStudy(Context ctx) {
    Registration r = Registration.fromJson(HttpIo.body(ctx), Registration.PATIENT_IDENTIFIER);
    HttpIo.json(ctx, RequestJson.identifier(vx.resolveStudy(r.parent(), r.externalUid())));
  }
}
