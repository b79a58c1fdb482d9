package io.tollgate.billing.benchmark;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;

import io.tollgate.contract.BucketWidth;
import io.tollgate.contract.ContextTier;
import io.tollgate.contract.ContractDeserializer;
import io.tollgate.contract.ContractSerializer;
import io.tollgate.contract.MeteredUsage;
import io.tollgate.contract.Provider;
import io.tollgate.contract.ServiceTier;
import io.tollgate.contract.TokenCounts;
import io.tollgate.contract.Topics;
import io.tollgate.testsupport.benchmark.RecordSource;
import io.tollgate.testsupport.benchmark.Tenants;
import io.tollgate.testsupport.benchmark.WeightedChoice;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The benchmark's metered-usage deltas, as metering publishes them: one minute bucket of
 * one tenant, key, model, service tier and context tier each, with the sums of a few
 * calls. The benchmarks' {@link Tenants} (200 of skewed size, 5 keys each), 6 models of
 * three providers, reported partly by snapshot name ({@code claude-sonnet-4-5-20250929},
 * {@code gpt-5-2025-08-07}) as the providers report them, so that pricing resolves them
 * to catalog models; batch, priority and flex tiers; long context on Sonnet and Gemini
 * Pro; cache reads and (Anthropic) cache writes of both lifetimes.
 *
 * <p>
 * Every record is a {@link MeteredUsage} written by the contract's own
 * {@link ContractSerializer} (which validates it) with its CloudEvents headers, keyed by
 * tenant, on {@link Topics#METERED_USAGE}. Deltas are far fewer than usage events, so
 * encoding each one costs the load generator little.
 */
final class DeltaMix implements RecordSource {

	private static final List<Model> MODELS = List.of(
			new Model(Provider.ANTHROPIC, "claude-sonnet-4-5-20250929", 0.30, tiers(0.90, 0.07, 0.03, 0), 0.05),
			new Model(Provider.ANTHROPIC, "claude-haiku-4-5", 0.20, tiers(0.92, 0.08, 0, 0), 0),
			new Model(Provider.ANTHROPIC, "claude-opus-4-5", 0.05, tiers(1, 0, 0, 0), 0),
			new Model(Provider.OPENAI, "gpt-5-2025-08-07", 0.20, tiers(0.88, 0.04, 0.02, 0.06), 0),
			new Model(Provider.OPENAI, "gpt-5-mini", 0.15, tiers(0.95, 0.05, 0, 0), 0),
			new Model(Provider.GEMINI, "gemini-2.5-pro", 0.10, tiers(0.95, 0.05, 0, 0), 0.05));

	private static final ServiceTier[] TIERS = { ServiceTier.STANDARD, ServiceTier.BATCH, ServiceTier.PRIORITY,
			ServiceTier.FLEX };

	private final Tenants tenants = new Tenants();

	private final WeightedChoice modelChoice = new WeightedChoice(MODELS.stream().mapToDouble(Model::weight).toArray());

	private final ContractSerializer<MeteredUsage> serializer = new ContractSerializer<>("/tollgate/metering");

	private final SplittableRandom random;

	DeltaMix(long seed) {
		this.random = new SplittableRandom(seed);
	}

	/**
	 * The tenants and keys the deltas are of.
	 * @return the tenants
	 */
	Tenants tenants() {
		return this.tenants;
	}

	/**
	 * A new delta of the minute bucket holding the given time, produced now.
	 * @param bucketMillis a time in the delta's bucket, epoch milliseconds
	 * @return the record
	 */
	@Override
	public ProducerRecord<byte[], byte[]> next(long bucketMillis) {
		MeteredUsage delta = delta(bucketMillis);
		RecordHeaders headers = new RecordHeaders();
		byte[] value = this.serializer.serialize(Topics.METERED_USAGE.name(), headers, delta);
		return new ProducerRecord<>(Topics.METERED_USAGE.name(), null, null,
				delta.tenantId().getBytes(StandardCharsets.UTF_8), value, headers);
	}

	MeteredUsage delta(long bucketMillis) {
		int tenant = this.tenants.pickTenant(this.random);
		int key = this.tenants.pickKey(this.random);
		Model model = MODELS.get(this.modelChoice.pick(this.random));
		ServiceTier tier = TIERS[model.tiers.pick(this.random)];
		boolean longContext = this.random.nextDouble() < model.longContext;
		long requests = logUniform(1, 40);
		long upstreamErrors = (requests > 1 && this.random.nextDouble() < 0.05) ? 1 : 0;
		long clientAborts = (requests > 2 && this.random.nextDouble() < 0.03) ? 1 : 0;
		long successes = requests - upstreamErrors - clientAborts;
		TokenCounts tokens = tokens(model.provider, successes + clientAborts, longContext);
		UUID id = new UUID(this.random.nextLong(), this.random.nextLong());
		return new MeteredUsage(id.toString(), this.tenants.id(tenant), this.tenants.keyId(tenant, key), model.provider,
				model.name, tier, longContext ? ContextTier.LONG : ContextTier.STANDARD,
				Instant.ofEpochMilli(bucketMillis).truncatedTo(ChronoUnit.MINUTES), BucketWidth.ONE_MINUTE, requests,
				successes, upstreamErrors, clientAborts, tokens, Instant.now());
	}

	private TokenCounts tokens(Provider provider, long calls, boolean longContext) {
		if (calls == 0) {
			return TokenCounts.ZERO;
		}
		boolean anthropic = provider == Provider.ANTHROPIC;
		long input = calls * logUniform(200, 4_000);
		long cacheRead = longContext ? calls * logUniform(190_000, 400_000)
				: (this.random.nextDouble() < 0.5) ? calls * logUniform(1_000, 60_000) : 0;
		long cacheWrite5m = (anthropic && this.random.nextDouble() < 0.3) ? calls * logUniform(500, 8_000) : 0;
		long cacheWrite1h = (anthropic && this.random.nextDouble() < 0.05) ? calls * logUniform(1_000, 20_000) : 0;
		long output = calls * logUniform(50, 3_000);
		long reasoning = (this.random.nextDouble() < 0.4) ? (long) (output * this.random.nextDouble()) : 0;
		long serverTools = (this.random.nextDouble() < 0.05) ? 1 + this.random.nextInt(3) : 0;
		return new TokenCounts(input, output, cacheWrite5m, cacheWrite1h, cacheRead, reasoning, serverTools);
	}

	private long logUniform(long low, long high) {
		return (long) Math.exp(Math.log(low) + this.random.nextDouble() * (Math.log(high) - Math.log(low)));
	}

	/**
	 * Decodes generated records as billing does, and fails unless every one is a valid
	 * delta with the id and tenant it was generated with.
	 * @param samples how many records to check
	 */
	@Override
	public void selfCheck(int samples) {
		ContractDeserializer<MeteredUsage> deserializer = new ContractDeserializer<>(MeteredUsage.class);
		long base = Instant.parse("2026-11-23T12:00:00Z").toEpochMilli();
		for (int i = 0; i < samples; i++) {
			ProducerRecord<byte[], byte[]> record = next(base + i * 977L);
			MeteredUsage delta = deserializer.deserialize(record.topic(), record.headers(), record.value());
			if (delta == null || !delta.tenantId().equals(new String(record.key(), StandardCharsets.UTF_8))
					|| delta.bucketStart().toEpochMilli() % 60_000 != 0) {
				throw new IllegalStateException("generated record does not decode to its own delta: " + delta);
			}
		}
	}

	/** What the mix holds, for the report, from a sample of generated deltas. */
	@Override
	public Map<String, String> describe() {
		Map<String, String> description = new LinkedHashMap<>();
		this.tenants.describe(description, "deltas");
		description.put("models",
				MODELS.stream()
					.map((m) -> m.provider.wire() + " " + m.name + " " + percent(m.weight)
							+ ((m.longContext > 0) ? " (" + percent(m.longContext) + " long context)" : ""))
					.toList()
					.toString());
		DeltaMix sample = new DeltaMix(1);
		int count = 10_000;
		long bytes = 0;
		long kinds = 0;
		Map<ServiceTier, Integer> tiers = new LinkedHashMap<>();
		long now = System.currentTimeMillis();
		for (int i = 0; i < count; i++) {
			MeteredUsage delta = sample.delta(now);
			bytes += this.serializer.serialize(Topics.METERED_USAGE.name(), delta).length;
			TokenCounts tokens = delta.tokens();
			kinds += Arrays
				.stream(new long[] { tokens.input(), tokens.output(), tokens.cacheWrite5m(), tokens.cacheWrite1h(),
						tokens.cacheRead() })
				.filter((quantity) -> quantity > 0)
				.count();
			tiers.merge(delta.serviceTier(), 1, Integer::sum);
		}
		description.put("service tiers (sample)", tiers.toString());
		description.put("token kinds with a quantity (ledger entries expected per delta)",
				String.format(Locale.ROOT, "%.2f", kinds / (double) count));
		description.put("mean value size", (bytes / count) + " bytes of JSON, plus the CloudEvents headers");
		description.put("calls per delta", "1-40, log-uniform");
		return description;
	}

	private static String percent(double share) {
		return String.format(Locale.ROOT, "%.1f %%", share * 100);
	}

	private static WeightedChoice tiers(double standard, double batch, double priority, double flex) {
		return new WeightedChoice(new double[] { standard, batch, priority, flex });
	}

	/**
	 * A model as the provider reports it, with its share of deltas, the shares of its
	 * service tiers (in the order of {@link #TIERS}) and of long context.
	 */
	private record Model(Provider provider, String name, double weight, WeightedChoice tiers, double longContext) {

	}

}
