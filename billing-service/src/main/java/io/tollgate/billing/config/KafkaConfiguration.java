package io.tollgate.billing.config;

import io.tollgate.contract.Topics;
import io.tollgate.support.kafka.BatchErrorHandlers;
import org.apache.kafka.clients.admin.NewTopic;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.listener.DefaultErrorHandler;

/**
 * The topics billing reads and writes, and how its listener recovers from failures.
 */
@Configuration(proxyBeanMethods = false)
class KafkaConfiguration {

	@Bean
	KafkaAdmin.NewTopics billingTopics(BillingProperties properties) {
		BillingProperties.Topics topics = properties.topics();
		return new KafkaAdmin.NewTopics(topic(Topics.METERED_USAGE.name(), topics),
				topic(Topics.METERED_USAGE.deadLetter(), topics), topic(Topics.SPEND.name(), topics));
	}

	private static NewTopic topic(String name, BillingProperties.Topics topics) {
		return TopicBuilder.name(name).partitions(topics.partitions()).replicas(topics.replicas()).build();
	}

	/**
	 * See {@link BatchErrorHandlers#retryBatchesForever}: metered usage is never given
	 * up.
	 */
	@Bean
	DefaultErrorHandler billingErrorHandler() {
		return BatchErrorHandlers.retryBatchesForever("metered-usage batch");
	}

}
