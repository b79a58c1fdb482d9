package io.tollgate.gateway.usage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class UsageSpoolTests {

	@TempDir
	Path directory;

	@Test
	void readsRecordsInAppendOrderAcrossSegments() throws IOException {
		try (UsageSpool spool = new UsageSpool(this.directory, 1 << 20, 64)) {
			for (int i = 0; i < 10; i++) {
				assertThat(spool.append(bytes("event-" + i))).isTrue();
			}
			assertThat(segmentFiles()).hasSizeGreaterThan(1);
			assertThat(texts(spool.read(100))).containsExactly("event-0", "event-1", "event-2", "event-3", "event-4",
					"event-5", "event-6", "event-7", "event-8", "event-9");
		}
	}

	@Test
	void resumesAfterTheCheckpointWhenReopened() throws IOException {
		try (UsageSpool spool = new UsageSpool(this.directory, 1 << 20, 64)) {
			for (int i = 0; i < 6; i++) {
				spool.append(bytes("event-" + i));
			}
			List<UsageSpool.Entry> firstThree = spool.read(3);
			spool.acknowledge(firstThree.getLast().next());
			spool.read(3);
		}
		try (UsageSpool reopened = new UsageSpool(this.directory, 1 << 20, 64)) {
			assertThat(reopened.isDrained()).isFalse();
			reopened.append(bytes("event-6"));
			List<UsageSpool.Entry> rest = reopened.read(100);
			assertThat(texts(rest)).containsExactly("event-3", "event-4", "event-5", "event-6");
			reopened.acknowledge(rest.getLast().next());
			assertThat(reopened.isDrained()).isTrue();
		}
	}

	@Test
	void rewindReadsUnacknowledgedRecordsAgain() throws IOException {
		try (UsageSpool spool = new UsageSpool(this.directory, 1 << 20, 1 << 20)) {
			spool.append(bytes("a"));
			spool.append(bytes("b"));
			spool.acknowledge(spool.read(1).getLast().next());
			assertThat(texts(spool.read(10))).containsExactly("b");
			spool.rewind();
			assertThat(texts(spool.read(10))).containsExactly("b");
		}
	}

	@Test
	void skipsATornRecordAtTheEndOfASealedSegment() throws IOException {
		try (UsageSpool spool = new UsageSpool(this.directory, 1 << 20, 1 << 20)) {
			spool.append(bytes("complete"));
		}
		// A crash in the middle of an append leaves a header promising more than was
		// written.
		Path segment = segmentFiles().getFirst();
		Files.write(segment, new byte[] { 0, 0, 0, 100, 1, 2, 3, 4, 'x' }, StandardOpenOption.APPEND);
		try (UsageSpool reopened = new UsageSpool(this.directory, 1 << 20, 1 << 20)) {
			reopened.append(bytes("after restart"));
			assertThat(texts(reopened.read(10))).containsExactly("complete", "after restart");
		}
	}

	@Test
	void refusesAppendsPastItsBound() throws IOException {
		try (UsageSpool spool = new UsageSpool(this.directory, 40, 1 << 20)) {
			assertThat(spool.append(bytes("0123456789"))).isTrue();
			assertThat(spool.append(bytes("0123456789"))).isTrue();
			assertThat(spool.append(bytes("0123456789"))).isFalse();
			assertThat(texts(spool.read(10))).hasSize(2);
		}
	}

	@Test
	void deletesSegmentsOnceDelivered() throws IOException {
		try (UsageSpool spool = new UsageSpool(this.directory, 1 << 20, 32)) {
			for (int i = 0; i < 8; i++) {
				spool.append(bytes("event-" + i));
			}
			long before = spool.diskBytes();
			List<UsageSpool.Entry> all = spool.read(100);
			spool.acknowledge(all.getLast().next());
			assertThat(segmentFiles()).hasSize(1);
			assertThat(spool.diskBytes()).isLessThan(before);
			assertThat(spool.isDrained()).isTrue();
		}
	}

	private List<Path> segmentFiles() throws IOException {
		try (Stream<Path> files = Files.list(this.directory)) {
			return files.filter((file) -> file.getFileName().toString().startsWith("segment-")).sorted().toList();
		}
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	private static List<String> texts(List<UsageSpool.Entry> entries) {
		return entries.stream().map((entry) -> new String(entry.payload(), StandardCharsets.UTF_8)).toList();
	}

}
