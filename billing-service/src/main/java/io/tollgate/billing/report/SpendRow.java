package io.tollgate.billing.report;

import java.time.Instant;

/**
 * One row of a spend query: the totals of one group in one bucket.
 *
 * @param bucketStart the bucket's start
 * @param result the group's dimensions and totals
 */
record SpendRow(Instant bucketStart, SpendReport.Result result) {

}
