package io.tollgate.gateway.usage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bounded write-ahead log of records on local disk, read back in append order.
 *
 * <p>
 * Layout: segment files {@code segment-<sequence>.log} holding records framed as
 * {@code [int length][int crc32c][payload]}, and a {@code checkpoint} file naming the
 * position (segment, offset) of the first record not yet acknowledged. Appends go to the
 * newest segment, rolled at the segment size; {@link #read} returns the records after the
 * read position; {@link #acknowledge} moves the checkpoint (written to a temporary file
 * and renamed, so it is never torn) and deletes segments that lie wholly before it.
 *
 * <p>
 * Crash safety: a record is in the page cache once {@link #append} returns, so it
 * survives the process being killed; a machine crash may lose the last unflushed records.
 * On open, every existing segment is sealed and appends start a new one, so a record torn
 * by a crash can only be the tail of a sealed segment, where reading skips it (with a
 * warning) instead of waiting for the rest. The bound counts bytes on disk; an append
 * past it is refused.
 */
final class UsageSpool implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(UsageSpool.class);

	private static final int HEADER = 8;

	private final Path directory;

	private final long maxBytes;

	private final long segmentBytes;

	/** Sequence to size of every segment on disk; the last one is the one appended to. */
	private final TreeMap<Long, Long> segments = new TreeMap<>();

	private FileChannel appendChannel;

	private long appendSegment;

	private long diskBytes;

	private Position checkpoint;

	private Position readPosition;

	private @Nullable FileChannel readChannel;

	private long readChannelSegment = -1;

	/**
	 * A position in the spool.
	 *
	 * @param segment the segment's sequence
	 * @param offset the byte offset in it
	 */
	record Position(long segment, long offset) implements Comparable<Position> {

		@Override
		public int compareTo(Position other) {
			int bySegment = Long.compare(this.segment, other.segment);
			return (bySegment != 0) ? bySegment : Long.compare(this.offset, other.offset);
		}

	}

	/**
	 * A record read from the spool.
	 *
	 * @param payload the bytes appended
	 * @param next the position just after it, to acknowledge up to
	 */
	record Entry(byte[] payload, Position next) {

	}

	UsageSpool(Path directory, long maxBytes, long segmentBytes) {
		this.directory = directory;
		this.maxBytes = maxBytes;
		this.segmentBytes = segmentBytes;
		try {
			Files.createDirectories(directory);
			try (Stream<Path> files = Files.list(directory)) {
				files.forEach((file) -> {
					String name = file.getFileName().toString();
					if (name.startsWith("segment-") && name.endsWith(".log")) {
						long sequence = Long.parseLong(name.substring(8, name.length() - 4));
						this.segments.put(sequence, size(file));
					}
				});
			}
			this.checkpoint = readCheckpoint();
			this.segments.headMap(this.checkpoint.segment()).keySet().stream().toList().forEach(this::deleteSegment);
			this.diskBytes = this.segments.values().stream().mapToLong(Long::longValue).sum();
			this.appendSegment = (this.segments.isEmpty() ? this.checkpoint.segment() : this.segments.lastKey()) + 1;
			this.appendChannel = openSegment(this.appendSegment);
			this.readPosition = this.checkpoint;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot open the usage spool in " + directory.toAbsolutePath(), ex);
		}
	}

	/**
	 * Appends a record.
	 * @param payload the record
	 * @return false when the spool is full and the record was not written
	 * @throws IOException when the disk fails
	 */
	synchronized boolean append(byte[] payload) throws IOException {
		long size = HEADER + payload.length;
		if (this.diskBytes + size > this.maxBytes) {
			return false;
		}
		if (this.segments.get(this.appendSegment) + size > this.segmentBytes
				&& this.segments.get(this.appendSegment) > 0) {
			this.appendChannel.close();
			this.appendSegment++;
			this.appendChannel = openSegment(this.appendSegment);
		}
		CRC32C crc = new CRC32C();
		crc.update(payload);
		ByteBuffer buffer = ByteBuffer.allocate((int) size);
		buffer.putInt(payload.length).putInt((int) crc.getValue()).put(payload).flip();
		while (buffer.hasRemaining()) {
			this.appendChannel.write(buffer);
		}
		this.segments.merge(this.appendSegment, size, Long::sum);
		this.diskBytes += size;
		return true;
	}

	/**
	 * Reads up to {@code max} records after the read position and moves the read position
	 * past them.
	 * @param max most records to return
	 * @return the records, possibly none
	 * @throws IOException when the disk fails
	 */
	synchronized List<Entry> read(int max) throws IOException {
		List<Entry> entries = new ArrayList<>();
		while (entries.size() < max) {
			Long segmentSize = this.segments.get(this.readPosition.segment());
			if (segmentSize == null) {
				Long next = this.segments.higherKey(this.readPosition.segment());
				if (next == null) {
					break;
				}
				this.readPosition = new Position(next, 0);
				continue;
			}
			boolean sealed = this.readPosition.segment() != this.appendSegment;
			if (this.readPosition.offset() >= segmentSize) {
				if (!sealed) {
					break;
				}
				this.readPosition = new Position(this.readPosition.segment() + 1, 0);
				continue;
			}
			@Nullable Entry entry = readEntry(this.readPosition, segmentSize);
			if (entry == null) {
				if (!sealed) {
					break;
				}
				logger.warn("Skipping a torn record at the end of usage spool segment {} (offset {}): the gateway "
						+ "stopped while writing it", this.readPosition.segment(), this.readPosition.offset());
				this.readPosition = new Position(this.readPosition.segment() + 1, 0);
				continue;
			}
			entries.add(entry);
			this.readPosition = entry.next();
		}
		return entries;
	}

	/**
	 * Rewinds the read position to the checkpoint, so records read but not acknowledged
	 * are read again.
	 */
	synchronized void rewind() {
		this.readPosition = this.checkpoint;
	}

	/**
	 * Records that every record before {@code position} was delivered.
	 * @param position the position after the last delivered record
	 * @throws IOException when the disk fails
	 */
	synchronized void acknowledge(Position position) throws IOException {
		if (position.compareTo(this.checkpoint) <= 0) {
			return;
		}
		this.checkpoint = position;
		Path temporary = this.directory.resolve("checkpoint.tmp");
		Files.writeString(temporary, position.segment() + " " + position.offset(), StandardCharsets.US_ASCII);
		Files.move(temporary, this.directory.resolve("checkpoint"), StandardCopyOption.REPLACE_EXISTING,
				StandardCopyOption.ATOMIC_MOVE);
		for (Long sequence : this.segments.headMap(position.segment()).keySet().stream().toList()) {
			this.diskBytes -= this.segments.get(sequence);
			deleteSegment(sequence);
		}
	}

	/**
	 * Says whether every appended record has been acknowledged.
	 * @return true when nothing waits
	 */
	synchronized boolean isDrained() {
		for (var segment : this.segments.tailMap(this.checkpoint.segment(), true).entrySet()) {
			long start = (segment.getKey() == this.checkpoint.segment()) ? this.checkpoint.offset() : 0;
			if (segment.getValue() > start) {
				return false;
			}
		}
		return true;
	}

	/**
	 * Returns the position after the last appended record.
	 * @return the position
	 */
	synchronized Position appendPosition() {
		return new Position(this.appendSegment, this.segments.get(this.appendSegment));
	}

	synchronized long diskBytes() {
		return this.diskBytes;
	}

	@Override
	public synchronized void close() throws IOException {
		this.appendChannel.close();
		if (this.readChannel != null) {
			this.readChannel.close();
		}
	}

	private @Nullable Entry readEntry(Position position, long segmentSize) throws IOException {
		if (segmentSize - position.offset() < HEADER) {
			return null;
		}
		{
			FileChannel channel = readChannel(position.segment());
			ByteBuffer header = ByteBuffer.allocate(HEADER);
			readFully(channel, header, position.offset());
			header.flip();
			int length = header.getInt();
			int expectedCrc = header.getInt();
			if (length < 0 || position.offset() + HEADER + length > segmentSize) {
				return null;
			}
			ByteBuffer payload = ByteBuffer.allocate(length);
			readFully(channel, payload, position.offset() + HEADER);
			CRC32C crc = new CRC32C();
			crc.update(payload.array());
			if ((int) crc.getValue() != expectedCrc) {
				return null;
			}
			return new Entry(payload.array(), new Position(position.segment(), position.offset() + HEADER + length));
		}
	}

	private FileChannel readChannel(long segment) throws IOException {
		FileChannel channel = this.readChannel;
		if (channel == null || this.readChannelSegment != segment) {
			if (channel != null) {
				channel.close();
			}
			channel = FileChannel.open(segmentPath(segment), StandardOpenOption.READ);
			this.readChannel = channel;
			this.readChannelSegment = segment;
		}
		return channel;
	}

	private static void readFully(FileChannel channel, ByteBuffer buffer, long offset) throws IOException {
		long at = offset;
		while (buffer.hasRemaining()) {
			int read = channel.read(buffer, at);
			if (read < 0) {
				throw new IOException("Unexpected end of spool segment");
			}
			at += read;
		}
	}

	private FileChannel openSegment(long sequence) throws IOException {
		this.segments.putIfAbsent(sequence, 0L);
		return FileChannel.open(segmentPath(sequence), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
				StandardOpenOption.APPEND);
	}

	private void deleteSegment(long sequence) {
		this.segments.remove(sequence);
		if (this.readChannelSegment == sequence && this.readChannel != null) {
			try {
				this.readChannel.close();
			}
			catch (IOException ex) {
				// closing a read-only channel of a file we are about to delete
			}
			this.readChannel = null;
			this.readChannelSegment = -1;
		}
		try {
			Files.deleteIfExists(segmentPath(sequence));
		}
		catch (IOException ex) {
			logger.warn("Could not delete delivered usage spool segment {}: {}", sequence, ex.toString());
		}
	}

	private Position readCheckpoint() throws IOException {
		Path file = this.directory.resolve("checkpoint");
		if (!Files.exists(file)) {
			return new Position(this.segments.isEmpty() ? 0 : this.segments.firstKey(), 0);
		}
		String[] parts = Files.readString(file, StandardCharsets.US_ASCII).trim().split(" ");
		return new Position(Long.parseLong(parts[0]), Long.parseLong(parts[1]));
	}

	private Path segmentPath(long sequence) {
		return this.directory.resolve("segment-%020d.log".formatted(sequence));
	}

	private static long size(Path file) {
		try {
			return Files.size(file);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
