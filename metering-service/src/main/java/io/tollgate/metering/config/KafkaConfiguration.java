package io.tollgate.metering.config;

import java.time.Clock;

import io.tollgate.contract.Topics;
import org.apache.kafka.clients.admin.NewTopic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * The topics metering reads and writes, and how its listener recovers from failures.
 */
@Configuration(proxyBeanMethods = false)
class KafkaConfiguration {

	private static final Logger logger = LoggerFactory.getLogger(KafkaConfiguration.class);

	@Bean
	KafkaAdmin.NewTopics meteringTopics(MeteringProperties properties) {
		MeteringProperties.Topics topics = properties.topics();
		return new KafkaAdmin.NewTopics(topic(Topics.USAGE.name(), topics), topic(Topics.USAGE.deadLetter(), topics),
				topic(Topics.METERED_USAGE.name(), topics));
	}

	private static NewTopic topic(String name, MeteringProperties.Topics topics) {
		return TopicBuilder.name(name).partitions(topics.partitions()).replicas(topics.replicas()).build();
	}

	/**
	 * Retries a failed batch forever, backing off to 30 s between attempts.
	 * <p>
	 * A batch fails as a whole only when PostgreSQL cannot take it: bad records never
	 * fail a batch, they are dead-lettered through the outbox in the batch's own
	 * transaction. Giving up on a batch would lose usage, so the listener waits for the
	 * database instead, and consumer lag shows the wait.
	 */
	@Bean
	DefaultErrorHandler meteringErrorHandler() {
		ExponentialBackOff backOff = new ExponentialBackOff(500, 2.0);
		backOff.setMaxInterval(30_000);
		DefaultErrorHandler handler = new DefaultErrorHandler((record, ex) -> {
			throw new IllegalStateException("metering never gives up on a usage batch", ex);
		}, backOff);
		handler.setRetryListeners((record, ex, attempt) -> {
			if (attempt == 1 || attempt % 10 == 0) {
				logger.warn("Writing a usage batch failed (attempt {}); retrying with backoff, nothing was counted "
						+ "twice or lost: {}", attempt, ex.toString());
			}
		});
		return handler;
	}

	@Bean
	@ConditionalOnMissingBean
	Clock clock() {
		return Clock.systemUTC();
	}

}
