package io.tollgate.metering.benchmark;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;

import io.tollgate.contract.CloudEventAttributes;
import io.tollgate.contract.CloudEventHeaders;
import io.tollgate.contract.ContextTier;
import io.tollgate.contract.ContractDeserializer;
import io.tollgate.contract.Endpoint;
import io.tollgate.contract.EventCodec;
import io.tollgate.contract.Outcome;
import io.tollgate.contract.Provider;
import io.tollgate.contract.ServiceTier;
import io.tollgate.contract.TokenCounts;
import io.tollgate.contract.Topics;
import io.tollgate.contract.UsageEvent;
import io.tollgate.testsupport.benchmark.RecordSource;
import io.tollgate.testsupport.benchmark.Tenants;
import io.tollgate.testsupport.benchmark.WeightedChoice;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The benchmark's usage events: the benchmarks' {@link Tenants} (200 of skewed size, 5
 * keys each), 4 models (two Anthropic, two OpenAI), with the outcomes, tiers and token
 * kinds of real traffic.
 *
 * <p>
 * Encoding an event with Jackson for every record would cost the load generator about as
 * much CPU as metering spends decoding it, on the same two cores. So every combination of
 * tenant, key, model and variant is encoded once, with its CloudEvents headers, and each
 * record is a copy of its template with a fresh id and fresh times written over
 * placeholders of the same length. {@link #selfCheck} decodes generated records with the
 * contract's own deserializer, so a template that drifted from the contract fails the run
 * before anything is measured.
 *
 * <p>
 * Public, with a public constructor, because billing's pipeline benchmark publishes the
 * same usage events: it finds this class on its class path by name (see
 * {@code bin/benchmark-billing}), since test sources of one module are not a dependency
 * of another.
 */
public final class EventMix implements RecordSource {

	static final int VARIANTS = 8;

	static final URI SOURCE = URI.create("/tollgate/gateway");

	private static final List<Model> MODELS = List.of(new Model(Provider.ANTHROPIC, "claude-sonnet-4-5", 0.35),
			new Model(Provider.ANTHROPIC, "claude-haiku-4-5", 0.20), new Model(Provider.OPENAI, "gpt-5", 0.25),
			new Model(Provider.OPENAI, "gpt-5-mini", 0.20));

	// Distinct from anything a real event holds, and exactly as long as what replaces
	// them: a UUID is 36 characters, a millisecond RFC 3339 UTC time 24.
	private static final String ID_PLACEHOLDER = "ffffffff-ffff-7fff-bfff-ffffffffffff";

	private static final Instant STARTED_PLACEHOLDER = Instant.parse("2001-01-01T01:01:01.111Z");

	private static final Instant COMPLETED_PLACEHOLDER = Instant.parse("2002-02-02T02:02:02.222Z");

	private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

	private final Tenants tenants = new Tenants();

	private final WeightedChoice modelChoice = new WeightedChoice(MODELS.stream().mapToDouble(Model::weight).toArray());

	private final Template[] templates;

	private final SplittableRandom random;

	/**
	 * Encodes the templates.
	 * @param seed the seed of the random choices, so that runs publish the same mix
	 */
	public EventMix(long seed) {
		this.random = new SplittableRandom(seed);
		this.templates = new Template[Tenants.COUNT * Tenants.KEYS_PER_TENANT * MODELS.size() * VARIANTS];
		for (int t = 0; t < Tenants.COUNT; t++) {
			for (int k = 0; k < Tenants.KEYS_PER_TENANT; k++) {
				for (int m = 0; m < MODELS.size(); m++) {
					for (int v = 0; v < VARIANTS; v++) {
						int index = index(t, k, m, v);
						this.templates[index] = template(new Random(index), this.tenants.id(t),
								this.tenants.keyId(t, k), MODELS.get(m));
					}
				}
			}
		}
	}

	/**
	 * The tenants and keys the events are of; tenants are the record keys, so a large
	 * tenant makes its partition (and the consumer owning it) busier than the others.
	 * @return the tenants
	 */
	Tenants tenants() {
		return this.tenants;
	}

	/**
	 * A record of a new event that completed at the given time, ready to send to the
	 * usage topic. Not thread-safe: one generator thread per instance.
	 * @param completedAtMillis when the call completed, epoch milliseconds
	 * @return the record
	 */
	@Override
	public ProducerRecord<byte[], byte[]> next(long completedAtMillis) {
		Template template = this.templates[index(this.tenants.pickTenant(this.random),
				this.tenants.pickKey(this.random), this.modelChoice.pick(this.random), this.random.nextInt(VARIANTS))];
		byte[] value = Arrays.copyOf(template.value, template.value.length);
		byte[] id = new byte[36];
		writeUuidV7(id, completedAtMillis, this.random.nextLong(), this.random.nextLong());
		byte[] completed = new byte[24];
		writeInstant(completed, 0, completedAtMillis);
		System.arraycopy(id, 0, value, template.idAt, id.length);
		System.arraycopy(completed, 0, value, template.completedAt, completed.length);
		writeInstant(value, template.startedAt, completedAtMillis - template.durationMillis);
		Header[] headers = template.headers.clone();
		headers[template.idHeader] = new RecordHeader(CloudEventHeaders.ID, id);
		headers[template.timeHeader] = new RecordHeader(CloudEventHeaders.TIME, completed);
		return new ProducerRecord<>(Topics.USAGE.name(), null, null, template.key, value, new RecordHeaders(headers));
	}

	/**
	 * Decodes generated records as metering does, and fails unless every one is a valid
	 * usage event with the id, time and tenant it was generated with.
	 * @param samples how many records to check
	 */
	@Override
	public void selfCheck(int samples) {
		ContractDeserializer<UsageEvent> deserializer = new ContractDeserializer<>(UsageEvent.class);
		long base = Instant.parse("2026-11-23T12:00:00Z").toEpochMilli();
		for (int i = 0; i < samples; i++) {
			long completedAt = base + i * 977L;
			ProducerRecord<byte[], byte[]> record = next(completedAt);
			UsageEvent event = deserializer.deserialize(record.topic(), record.headers(), record.value());
			String id = new String(record.headers().lastHeader(CloudEventHeaders.ID).value(), StandardCharsets.UTF_8);
			if (event == null || !event.eventId().equals(id) || event.completedAt().toEpochMilli() != completedAt
					|| !event.tenantId().equals(new String(record.key(), StandardCharsets.UTF_8))
					|| event.startedAt().isAfter(event.completedAt())) {
				throw new IllegalStateException("generated record does not decode to its own event: " + event);
			}
		}
	}

	/** What the mix holds, for the report. */
	@Override
	public Map<String, String> describe() {
		Map<String, String> description = new LinkedHashMap<>();
		this.tenants.describe(description, "events");
		description.put("models", MODELS.stream().map((m) -> m.name + " " + percent(m.weight)).toList().toString());
		description.put("templates", this.templates.length + " (tenant x key x model x " + VARIANTS + " variants)");
		long bytes = 0;
		Map<Outcome, Integer> outcomes = new LinkedHashMap<>();
		for (Template template : this.templates) {
			bytes += template.value.length;
			outcomes.merge(template.outcome, 1, Integer::sum);
		}
		description.put("mean value size", (bytes / this.templates.length) + " bytes of JSON, plus 8 headers");
		description.put("outcomes (templates)", outcomes.toString());
		return description;
	}

	private int index(int tenant, int key, int model, int variant) {
		return ((tenant * Tenants.KEYS_PER_TENANT + key) * MODELS.size() + model) * VARIANTS + variant;
	}

	private static String percent(double share) {
		return String.format("%.1f %%", share * 100);
	}

	private static Template template(Random random, String tenant, String key, Model model) {
		boolean anthropic = model.provider == Provider.ANTHROPIC;
		double roll = random.nextDouble();
		Outcome outcome = (roll < 0.97) ? Outcome.SUCCESS
				: (roll < 0.99) ? Outcome.UPSTREAM_ERROR : Outcome.CLIENT_ABORTED;
		double tierRoll = random.nextDouble();
		ServiceTier tier;
		if (anthropic) {
			tier = (tierRoll < 0.95) ? ServiceTier.STANDARD
					: (tierRoll < 0.98) ? ServiceTier.BATCH : ServiceTier.PRIORITY;
		}
		else {
			tier = (tierRoll < 0.92) ? ServiceTier.STANDARD : (tierRoll < 0.96) ? ServiceTier.FLEX : ServiceTier.BATCH;
		}
		Endpoint endpoint = (tier == ServiceTier.BATCH) ? Endpoint.BATCH : anthropic ? Endpoint.MESSAGES
				: (random.nextBoolean() ? Endpoint.CHAT_COMPLETIONS : Endpoint.RESPONSES);
		boolean longContext = anthropic && model.name.contains("sonnet") && random.nextDouble() < 0.02;
		TokenCounts tokens = tokens(random, outcome, anthropic, longContext);
		int status = switch (outcome) {
			case SUCCESS -> 200;
			case UPSTREAM_ERROR -> anthropic ? 529 : 500;
			case CLIENT_ABORTED -> 499;
		};
		String stopReason = (outcome != Outcome.SUCCESS) ? null
				: anthropic ? pickOf(random, "end_turn", "end_turn", "tool_use", "max_tokens")
						: pickOf(random, "stop", "stop", "tool_calls", "length");
		Map<String, String> labels = switch (random.nextInt(10)) {
			case 0, 1 -> Map.of("env", "staging", "feature", "search");
			case 2, 3, 4, 5, 6 -> Map.of("env", "prod");
			default -> Map.of();
		};
		String fingerprint = random.nextBoolean() ? null : hex(random, 32);
		long latency = 300 + (long) (Math.exp(random.nextDouble() * Math.log(60)) * 250);
		UsageEvent event = UsageEvent.builder()
			.eventId(ID_PLACEHOLDER)
			.tenantId(tenant)
			.apiKeyId(key)
			.labels(labels)
			.provider(model.provider)
			.model(model.name)
			.endpoint(endpoint)
			.serviceTier(tier)
			.streamed(random.nextDouble() < 0.6)
			.tokens(tokens)
			.contextTier(longContext ? ContextTier.LONG : ContextTier.STANDARD)
			.outcome(outcome)
			.httpStatus(status)
			.stopReason(stopReason)
			.requestFingerprint(fingerprint)
			.startedAt(STARTED_PLACEHOLDER)
			.completedAt(COMPLETED_PLACEHOLDER)
			.upstreamLatencyMs(latency)
			.build();
		byte[] value = EventCodec.shared().encode(event);
		RecordHeaders headers = new RecordHeaders();
		CloudEventHeaders.write(CloudEventAttributes.of(event, SOURCE), headers);
		Header[] array = headers.toArray();
		return new Template(value, find(value, ID_PLACEHOLDER), find(value, STARTED_PLACEHOLDER.toString()),
				find(value, COMPLETED_PLACEHOLDER.toString()), latency + 5, tenant.getBytes(StandardCharsets.UTF_8),
				array, headerIndex(array, CloudEventHeaders.ID), headerIndex(array, CloudEventHeaders.TIME), outcome);
	}

	private static TokenCounts tokens(Random random, Outcome outcome, boolean anthropic, boolean longContext) {
		if (outcome == Outcome.UPSTREAM_ERROR) {
			return TokenCounts.ZERO;
		}
		long input = logUniform(random, anthropic ? 200 : 300, anthropic ? 4_000 : 6_000);
		long cacheRead = longContext ? logUniform(random, 190_000, 400_000)
				: (random.nextDouble() < (anthropic ? 0.5 : 0.4)) ? logUniform(random, 1_000, 60_000) : 0;
		long cacheWrite5m = (anthropic && random.nextDouble() < 0.3) ? logUniform(random, 500, 8_000) : 0;
		long cacheWrite1h = (anthropic && random.nextDouble() < 0.05) ? logUniform(random, 1_000, 20_000) : 0;
		long output = logUniform(random, 50, (outcome == Outcome.CLIENT_ABORTED) ? 400 : 3_000);
		long reasoning = (random.nextDouble() < (anthropic ? 0.3 : 0.6)) ? (long) (output * random.nextDouble()) : 0;
		long serverTools = (random.nextDouble() < 0.05) ? 1 + random.nextInt(3) : 0;
		return new TokenCounts(input, output, cacheWrite5m, cacheWrite1h, cacheRead, reasoning, serverTools);
	}

	private static long logUniform(Random random, long low, long high) {
		return (long) Math.exp(Math.log(low) + random.nextDouble() * (Math.log(high) - Math.log(low)));
	}

	private static String pickOf(Random random, String... choices) {
		return choices[random.nextInt(choices.length)];
	}

	private static String hex(Random random, int bytes) {
		byte[] raw = new byte[bytes];
		random.nextBytes(raw);
		return HexFormat.of().formatHex(raw);
	}

	private static int find(byte[] haystack, String needle) {
		byte[] bytes = needle.getBytes(StandardCharsets.US_ASCII);
		int found = -1;
		for (int i = 0; i + bytes.length <= haystack.length; i++) {
			if (Arrays.equals(haystack, i, i + bytes.length, bytes, 0, bytes.length)) {
				if (found >= 0) {
					throw new IllegalStateException(needle + " occurs twice in a template");
				}
				found = i;
			}
		}
		if (found < 0) {
			throw new IllegalStateException(needle + " not found in a template: the JSON shape changed");
		}
		return found;
	}

	private static int headerIndex(Header[] headers, String key) {
		for (int i = 0; i < headers.length; i++) {
			if (headers[i].key().equals(key)) {
				return i;
			}
		}
		throw new IllegalStateException("CloudEvents header " + key + " missing from a template");
	}

	/** Writes a version 7 UUID (RFC 9562) in canonical lower-case form. */
	static void writeUuidV7(byte[] out, long millis, long randomA, long randomB) {
		long most = (millis << 16) | 0x7000L | (randomA & 0x0FFFL);
		long least = (randomB & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
		int at = 0;
		for (int nibble = 15; nibble >= 0; nibble--) {
			if (nibble == 7 || nibble == 3) {
				out[at++] = '-';
			}
			out[at++] = HEX[(int) (most >>> (nibble * 4)) & 0xF];
		}
		for (int nibble = 15; nibble >= 0; nibble--) {
			if (nibble == 15 || nibble == 11) {
				out[at++] = '-';
			}
			out[at++] = HEX[(int) (least >>> (nibble * 4)) & 0xF];
		}
	}

	/** Writes {@code yyyy-MM-ddTHH:mm:ss.SSSZ}, an RFC 3339 UTC time, 24 bytes. */
	static void writeInstant(byte[] out, int at, long epochMillis) {
		LocalDateTime time = LocalDateTime.ofEpochSecond(Math.floorDiv(epochMillis, 1000L), 0, ZoneOffset.UTC);
		digits(out, at, time.getYear(), 4);
		out[at + 4] = '-';
		digits(out, at + 5, time.getMonthValue(), 2);
		out[at + 7] = '-';
		digits(out, at + 8, time.getDayOfMonth(), 2);
		out[at + 10] = 'T';
		digits(out, at + 11, time.getHour(), 2);
		out[at + 13] = ':';
		digits(out, at + 14, time.getMinute(), 2);
		out[at + 16] = ':';
		digits(out, at + 17, time.getSecond(), 2);
		out[at + 19] = '.';
		digits(out, at + 20, (int) Math.floorMod(epochMillis, 1000L), 3);
		out[at + 23] = 'Z';
	}

	private static void digits(byte[] out, int at, int value, int width) {
		int remaining = value;
		for (int i = width - 1; i >= 0; i--) {
			out[at + i] = (byte) ('0' + remaining % 10);
			remaining /= 10;
		}
	}

	private record Model(Provider provider, String name, double weight) {

	}

	/**
	 * One encoded event with its placeholders' offsets.
	 *
	 * @param value the JSON
	 * @param idAt offset of the event id
	 * @param startedAt offset of {@code started_at}
	 * @param completedAt offset of {@code completed_at}
	 * @param durationMillis {@code completed_at - started_at}
	 * @param key the record key (the tenant id)
	 * @param headers the CloudEvents headers
	 * @param idHeader index of {@code ce_id} in the headers
	 * @param timeHeader index of {@code ce_time} in the headers
	 * @param outcome the event's outcome
	 */
	private record Template(byte[] value, int idAt, int startedAt, int completedAt, long durationMillis, byte[] key,
			Header[] headers, int idHeader, int timeHeader, Outcome outcome) {

	}

}
