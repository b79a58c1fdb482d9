package io.tollgate.metering.config;

import io.tollgate.contract.Topics;
import io.tollgate.support.kafka.BatchErrorHandlers;
import org.apache.kafka.clients.admin.NewTopic;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.listener.DefaultErrorHandler;

/**
 * The topics metering reads and writes, and how its listener recovers from failures.
 */
@Configuration(proxyBeanMethods = false)
class KafkaConfiguration {

	@Bean
	KafkaAdmin.NewTopics meteringTopics(MeteringProperties properties) {
		MeteringProperties.Topics topics = properties.topics();
		return new KafkaAdmin.NewTopics(topic(Topics.USAGE.name(), topics), topic(Topics.USAGE.deadLetter(), topics),
				topic(Topics.METERED_USAGE.name(), topics));
	}

	private static NewTopic topic(String name, MeteringProperties.Topics topics) {
		return TopicBuilder.name(name).partitions(topics.partitions()).replicas(topics.replicas()).build();
	}

	/** See {@link BatchErrorHandlers#retryBatchesForever}: usage is never given up. */
	@Bean
	DefaultErrorHandler meteringErrorHandler() {
		return BatchErrorHandlers.retryBatchesForever("usage batch");
	}

}
