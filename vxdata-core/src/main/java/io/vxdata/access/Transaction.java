package io.vxdata.access;

import java.time.Instant;
import java.util.Objects;

/**
 * One commit in the transaction log (docs/behaviour.md §13.6).
 *
 * @param transactionTime the time it committed at
 * @param principalId who made it ({@value Principal#SYSTEM} in-process without a principal)
 * @param operation what it was: {@code create}, {@code update}, {@code delete}, {@code restore},
 *     {@code register_patient}, {@code register_study}, {@code register_type}, or an access change:
 *     {@code create_principal}, {@code update_principal}, {@code issue_token}, {@code revoke_token},
 *     {@code grant}, {@code revoke_grant}, {@code bootstrap}, or {@code create_release}
 * @param count how many versions it wrote (for a type or access change, 1)
 * @param requestId the request it answered (HTTP {@code X-Request-Id}), or {@code null}
 */
public record Transaction(Instant transactionTime, String principalId, String operation, int count, String requestId) {

  public Transaction {
    Objects.requireNonNull(transactionTime, "transactionTime");
    Objects.requireNonNull(principalId, "principalId");
    Objects.requireNonNull(operation, "operation");
  }
}
