package io.tollgate.testsupport;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import kafka.Kafka;
import kafka.tools.StorageTool;

/**
 * Entry point of the child JVM that runs a single-node KRaft Kafka broker (broker and
 * controller in one process) from Maven Central's {@code kafka_2.13} artifact.
 *
 * <p>
 * Arguments: the {@code server.properties} path, the cluster id, and the pid of the JVM
 * that started it. It formats the storage directory on first start (a restart keeps the
 * data), then hands over to {@code kafka.Kafka}. It exits as soon as its parent exits, so
 * a test JVM killed with {@code kill -9} never leaves an orphan broker holding its ports.
 */
public final class KafkaBrokerMain {

	private KafkaBrokerMain() {
	}

	public static void main(String[] args) throws Exception {
		if (args.length != 3) {
			System.err.println("usage: KafkaBrokerMain <server.properties> <cluster-id> <parent-pid>");
			System.exit(2);
		}
		Path properties = Path.of(args[0]);
		String clusterId = args[1];
		long parentPid = Long.parseLong(args[2]);
		ProcessHandle.of(parentPid)
			.ifPresentOrElse((parent) -> parent.onExit().thenRun(() -> Runtime.getRuntime().halt(0)),
					() -> Runtime.getRuntime().halt(0));
		if (!Files.exists(metaProperties(properties))) {
			PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
			int status = StorageTool.execute(new String[] { "format", "--config", properties.toString(), "--cluster-id",
					clusterId, "--ignore-formatted" }, out);
			if (status != 0) {
				System.err.println("Formatting Kafka storage failed with status " + status);
				System.exit(status);
			}
		}
		Kafka.main(new String[] { properties.toString() });
	}

	private static Path metaProperties(Path properties) throws Exception {
		for (String line : Files.readAllLines(properties)) {
			if (line.startsWith("log.dirs=")) {
				return Path.of(line.substring("log.dirs=".length()), "meta.properties");
			}
		}
		throw new IllegalStateException("No log.dirs in " + properties);
	}

}
