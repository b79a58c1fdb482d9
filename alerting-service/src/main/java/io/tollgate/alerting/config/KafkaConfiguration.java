package io.tollgate.alerting.config;

import io.tollgate.contract.Topics;
import io.tollgate.support.kafka.BatchErrorHandlers;
import org.apache.kafka.clients.admin.NewTopic;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.listener.DefaultErrorHandler;

/**
 * The topics alerting reads and writes, and how its listeners recover from failures.
 */
@Configuration(proxyBeanMethods = false)
class KafkaConfiguration {

	@Bean
	KafkaAdmin.NewTopics alertingTopics(AlertingProperties properties) {
		AlertingProperties.Topics topics = properties.topics();
		// The topics it reads too (idempotent), so that a fresh stack has them whichever
		// service starts first.
		return new KafkaAdmin.NewTopics(topic(Topics.USAGE.name(), topics), topic(Topics.SPEND.name(), topics),
				topic(Topics.SPEND.deadLetter(), topics),
				TopicBuilder.name(Topics.KEY_CONTROLS.name())
					.partitions(topics.partitions())
					.replicas(topics.replicas())
					.compact()
					.build());
	}

	private static NewTopic topic(String name, AlertingProperties.Topics topics) {
		return TopicBuilder.name(name).partitions(topics.partitions()).replicas(topics.replicas()).build();
	}

	/**
	 * See {@link BatchErrorHandlers#retryBatchesForever}: a spend update is never given
	 * up, or a budget alert would be lost.
	 */
	@Bean
	DefaultErrorHandler alertingErrorHandler() {
		return BatchErrorHandlers.retryBatchesForever("spend-update batch");
	}

}
