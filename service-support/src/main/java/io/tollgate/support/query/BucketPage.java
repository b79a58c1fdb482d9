package io.tollgate.support.query;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.tollgate.contract.BucketWidth;
import org.jspecify.annotations.Nullable;

/**
 * One page of a {@link BucketRange}: at most {@code limit} consecutive buckets of it.
 *
 * <p>
 * The first page starts at {@code startingAt}; page {@code n + 1} starts where page
 * {@code n} ended, and that start is what the {@code next_page} token carries
 * ({@link PageToken}). A page thus covers [{@code pageStart}, min({@code pageStart +
 * limit × width}, {@code endingAt})) and has more when its end is before
 * {@code endingAt}. Pages are cut by time, never by row count, so one page holds every
 * group of each of its buckets and totals across pages add up to the unpaged totals.
 *
 * @param range the whole range queried
 * @param pageStart start of the first bucket of this page
 * @param queryId identifies the query regardless of the page; carried by page tokens
 */
public record BucketPage(BucketRange range, Instant pageStart, String queryId) {

	/**
	 * The bucket width.
	 * @return the range's width
	 */
	public BucketWidth width() {
		return this.range.width();
	}

	/**
	 * End of this page (exclusive).
	 * @return the end of its last bucket
	 */
	public Instant pageEnd() {
		Instant full = this.pageStart.plus(this.range.width().duration().multipliedBy(this.range.limit()));
		return full.isBefore(this.range.endingAt()) ? full : this.range.endingAt();
	}

	/**
	 * Whether buckets after this page remain in the range.
	 * @return {@code true} unless this is the last page
	 */
	public boolean hasMore() {
		return pageEnd().isBefore(this.range.endingAt());
	}

	/**
	 * The token of the page after this one.
	 * @return the {@code next_page} value, {@code null} on the last page
	 */
	public @Nullable String nextPage() {
		return hasMore() ? PageToken.encode(pageEnd(), this.queryId) : null;
	}

	/**
	 * The starts of every bucket of the page, in time order, so that a report can list
	 * empty buckets too.
	 * @return the bucket starts
	 */
	public List<Instant> bucketStarts() {
		List<Instant> starts = new ArrayList<>();
		Instant end = pageEnd();
		for (Instant start = this.pageStart; start.isBefore(end); start = start.plus(width().duration())) {
			starts.add(start);
		}
		return starts;
	}

}
