package io.tollgate.gateway.config;

import io.tollgate.contract.Topics;
import org.apache.kafka.clients.admin.NewTopic;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * The topic the gateway produces, created at start when missing (the producer of a topic
 * owns it). Usage events are keyed by tenant, so partitions bound how many metering
 * instances share the load.
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class KafkaTopicsConfiguration {

	@Bean
	NewTopic usageTopic(GatewayProperties properties) {
		return TopicBuilder.name(Topics.USAGE.name())
			.partitions(properties.usage().topicPartitions())
			.replicas(properties.usage().topicReplicas())
			.build();
	}

}
