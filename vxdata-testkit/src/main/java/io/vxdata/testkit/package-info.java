/**
 * The conformance kit of the {@link io.vxdata.VxData} interface: the specification's behaviour as
 * abstract JUnit 5 tests that every implementation runs.
 *
 * <p>Abstract classes split the behaviour by topic, so each backend's test reports name both the
 * backend and the topic:
 *
 * <ul>
 *   <li>{@link io.vxdata.testkit.ResourceConformanceTests}: create, read, update, parents;
 *   <li>{@link io.vxdata.testkit.LifecycleConformanceTests}: delete, restore, re-create;
 *   <li>{@link io.vxdata.testkit.TimeConformanceTests}: {@code as_of} reads, transaction times,
 *       concurrent writers and readers;
 *   <li>{@link io.vxdata.testkit.RegistrationConformanceTests}: patient and study registration,
 *       payload types and their schemas;
 *   <li>{@link io.vxdata.testkit.QueryFilterConformanceTests}: every filter operator on every field
 *       type, nested logic, invalid queries;
 *   <li>{@link io.vxdata.testkit.QueryPagingConformanceTests}: scope, projection, order, keyset pages
 *       and cursors, {@code as_of} queries and counts;
 *   <li>{@link io.vxdata.testkit.QueryDeletedConformanceTests}: {@code include_deleted} and
 *       {@code updated_since} with scope, filters, order, pages, counts and {@code as_of};
 *   <li>{@link io.vxdata.testkit.HistoryConformanceTests}: the history of one resource over its
 *       lives, changed fields, pages and {@code as_of}.
 *   <li>{@link io.vxdata.testkit.ChangesConformanceTests}: the change feed — operations, pages and
 *       tokens, filters, access control, long-polls, and replaying it while writers run (it needs
 *       principals, so only backends with {@link io.vxdata.VxData#as} run it).
 *   <li>{@link io.vxdata.testkit.ReleaseConformanceTests}: releases, their rules, and every read at a
 *       release (it needs principals, so only backends with {@link io.vxdata.VxData#as} run it).
 *   <li>{@link io.vxdata.testkit.BatchWriteConformanceTests}: batch registration of patients and
 *       studies, writes by filter, and payload types registered through the store under test.
 * </ul>
 *
 * <p>Backends with principals ({@link io.vxdata.VxData#as}) also subclass
 * {@link io.vxdata.testkit.AccessConformanceTests} and
 * {@link io.vxdata.testkit.HistoryAccessConformanceTests} (history and deleted resources under
 * access control).
 *
 * <p>Backends that take a {@link java.time.Clock} for their transaction times also subclass
 * {@link io.vxdata.testkit.ClockConformanceTests}, implementing {@code newStore(Clock)}: the kit
 * drives a {@link io.vxdata.testkit.DrivenClock} forwards, to a standstill and backwards.
 *
 * <p>A backend subclasses each of them and implements {@code newStore()}, which must return a store
 * over an empty database (built-in payload types only); the kit opens one before each test and closes
 * it after:
 *
 * <pre>{@code
 * class H2MemoryResourceTest extends ResourceConformanceTests {
 *   @Override
 *   protected VxData newStore() {
 *     return VxDataStore.open(VxDataStore.h2Memory("conformance-" + UUID.randomUUID()));
 *   }
 * }
 * }</pre>
 *
 * <p>{@link io.vxdata.testkit.VxDataTestSupport} holds the shared lifecycle and helpers, and
 * {@link io.vxdata.testkit.Fixtures} the small resources the tests use; both are public so
 * backend-specific tests can reuse them.
 */
package io.vxdata.testkit;
