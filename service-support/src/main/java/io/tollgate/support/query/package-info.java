/**
 * The query parameters the services' report APIs share, validated one way everywhere:
 * single and list parameters ({@link io.tollgate.support.query.QueryParams}), a range of
 * UTC-aligned time buckets read in pages of buckets
 * ({@link io.tollgate.support.query.BucketRange},
 * {@link io.tollgate.support.query.BucketPage}, with the widths and page sizes of
 * {@link io.tollgate.support.query.BucketRules}), and the opaque {@code page} token that
 * carries a page's start ({@link io.tollgate.support.query.PageToken}).
 *
 * <p>
 * Every refusal is a 400 {@code invalid_parameter}
 * {@link io.tollgate.support.web.ApiException} naming the parameter. Metering's
 * {@code GET /v1/usage} and billing's {@code GET /v1/spend} are built on it, so that a
 * client pages through usage and cost with the same rules.
 */
@NullMarked
package io.tollgate.support.query;

import org.jspecify.annotations.NullMarked;
