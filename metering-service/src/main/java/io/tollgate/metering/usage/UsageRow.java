package io.tollgate.metering.usage;

import java.time.Instant;

/**
 * One row of a usage query: the totals of one group in one bucket.
 *
 * @param bucketStart the bucket's start
 * @param result the group's dimensions and totals
 */
record UsageRow(Instant bucketStart, UsageReport.Result result) {

}
