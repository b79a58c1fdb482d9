package io.tollgate.contract;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TopicsTests {

	@Test
	void catalogueHoldsTheFourTopicsInFlowOrder() {
		assertThat(Topics.all()).extracting(Topic::name)
			.containsExactly("tollgate.usage.v1", "tollgate.metered-usage.v1", "tollgate.spend.v1",
					"tollgate.key-controls.v1");
	}

	@Test
	void namesTypesAndSchemasAreUnique() {
		assertThat(Topics.all()).extracting(Topic::name).doesNotHaveDuplicates();
		assertThat(Topics.all()).extracting(Topic::valueType).doesNotHaveDuplicates();
		assertThat(Topics.all()).extracting(Topic::cloudEventType).doesNotHaveDuplicates();
		assertThat(Topics.all()).extracting(Topic::schemaPath).doesNotHaveDuplicates();
		Set<String> allNames = new HashSet<>();
		Topics.all().forEach((topic) -> {
			allNames.add(topic.name());
			allNames.add(topic.deadLetter());
		});
		assertThat(allNames).hasSize(Topics.all().size() * 2);
	}

	@Test
	void deadLetterTopicAppendsDlt() {
		assertThat(Topics.USAGE.deadLetter()).isEqualTo("tollgate.usage.v1.dlt");
		assertThat(Topics.KEY_CONTROLS.deadLetter()).isEqualTo("tollgate.key-controls.v1.dlt");
	}

	@Test
	void everyTopicsSchemaFileExists() {
		for (Topic<String, ? extends ContractEvent> topic : Topics.all()) {
			assertThat(getClass().getClassLoader().getResource(topic.schemaPath())).as(topic.schemaPath()).isNotNull();
		}
	}

	@Test
	void everyEventTypeHasATopic() {
		List<Class<?>> permitted = List.of(ContractEvent.class.getPermittedSubclasses());

		assertThat(Topics.all()).<Class<?>>extracting(Topic::valueType).containsExactlyInAnyOrderElementsOf(permitted);
	}

	@Test
	void onlyKeyControlsAreCompactedAndKeyedByKey() {
		assertThat(Topics.all()).filteredOn(Topic::compacted).containsExactly(Topics.KEY_CONTROLS);
		assertThat(Topics.KEY_CONTROLS.keyDescription()).startsWith("api_key_id");
		assertThat(Topics.USAGE.keyDescription()).startsWith("tenant_id");
		assertThat(Samples.keyControl().partitionKey()).isEqualTo(Samples.keyControl().apiKeyId());
		KeyControl k = Samples.keyControl();
		assertThat(new KeyControl(k.controlId(), "tenant-acme", KeyControl.ALL_KEYS, k.action(), k.reason(), null, null,
				k.decidedAt())
			.partitionKey()).isEqualTo("tenant-acme/*");
		assertThat(Samples.usage().partitionKey()).isEqualTo(Samples.usage().tenantId());
		assertThat(Samples.metered().partitionKey()).isEqualTo(Samples.metered().tenantId());
		assertThat(Samples.spend().partitionKey()).isEqualTo(Samples.spend().tenantId());
	}

	@Test
	void keysAreStrings() {
		assertThat(Topics.all()).extracting(Topic::keyType).containsOnly(String.class);
	}

	@Test
	void cloudEventTypesFollowTheTopicNames() {
		for (Topic<String, ? extends ContractEvent> topic : Topics.all()) {
			assertThat("tollgate." + topic.cloudEventType().substring("io.tollgate.".length())).isEqualTo(topic.name());
		}
	}

	@Test
	void findsTopicsByNameTypeAndCloudEventType() {
		assertThat(Topics.forName("tollgate.spend.v1")).contains(Topics.SPEND);
		assertThat(Topics.forName("tollgate.spend.v1.dlt")).isEmpty();
		assertThat(Topics.forEventType(MeteredUsage.class)).isSameAs(Topics.METERED_USAGE);
		assertThat(Topics.forCloudEventType("io.tollgate.key-controls.v1")).contains(Topics.KEY_CONTROLS);
	}

}
