package io.tollgate.gateway.tenant;

import java.util.regex.Pattern;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import io.tollgate.support.web.ApiException;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * The admin API for tenants and keys. Only the admin credential reaches it (see
 * {@code io.tollgate.gateway.auth}).
 */
@RestController
@RequestMapping("/admin/v1/tenants")
class TenantAdminController {

	private static final Logger logger = LoggerFactory.getLogger(TenantAdminController.class);

	private static final Pattern TENANT_ID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");

	private final TenantStore store;

	private final KeyDirectory keys;

	TenantAdminController(TenantStore store, KeyDirectory keys) {
		this.store = store;
		this.keys = keys;
	}

	/**
	 * Body of a tenant creation.
	 *
	 * @param id optional id (lower-case letters, digits, {@code _} and {@code -}, at most
	 * 63); generated when absent
	 * @param name display name
	 */
	record NewTenant(@Nullable String id, @NotBlank @Size(max = 200) String name) {

	}

	/**
	 * Body of a key creation.
	 *
	 * @param name display name, e.g. the application using it
	 */
	record NewKey(@NotBlank @Size(max = 200) String name) {

	}

	@PostMapping
	@ResponseStatus(HttpStatus.CREATED)
	Mono<Tenant> createTenant(@Valid @RequestBody NewTenant body) {
		String id = body.id();
		if (id != null && !TENANT_ID.matcher(id).matches()) {
			return Mono.error(new ApiException(HttpStatus.BAD_REQUEST, "invalid_tenant_id",
					"id must be 1-63 lower-case letters, digits, '_' or '-', starting with a letter or digit"));
		}
		return this.store.createTenant((id != null) ? id : ApiKeys.newTenantId(), body.name().strip())
			.doOnNext((tenant) -> logger.info("Created tenant {}", tenant.id()));
	}

	@GetMapping
	Flux<Tenant> tenants() {
		return this.store.tenants();
	}

	@GetMapping("/{tenantId}")
	Mono<Tenant> tenant(@PathVariable String tenantId) {
		return existingTenant(tenantId);
	}

	@PostMapping("/{tenantId}/keys")
	@ResponseStatus(HttpStatus.CREATED)
	Mono<CreatedApiKey> createKey(@PathVariable String tenantId, @Valid @RequestBody NewKey body) {
		String secret = ApiKeys.newSecret();
		return existingTenant(tenantId)
			.flatMap((tenant) -> this.store.createKey(ApiKeys.newKeyId(), tenant.id(), body.name().strip(),
					ApiKeys.shownPrefix(secret), ApiKeys.hash(secret)))
			.map((key) -> new CreatedApiKey(key.id(), key.tenantId(), key.name(), key.prefix(), secret,
					key.createdAt()))
			.doOnNext((key) -> logger.info("Created API key {} for tenant {}", key.id(), key.tenantId()));
	}

	@GetMapping("/{tenantId}/keys")
	Flux<ApiKey> keys(@PathVariable String tenantId) {
		return existingTenant(tenantId).flatMapMany((tenant) -> this.store.keys(tenant.id()));
	}

	@DeleteMapping("/{tenantId}/keys/{keyId}")
	Mono<ApiKey> revokeKey(@PathVariable String tenantId, @PathVariable String keyId) {
		return this.store.revokeKey(tenantId, keyId)
			.doOnNext((revocation) -> this.keys.evict(revocation.digest()))
			.map(TenantStore.Revocation::key)
			.doOnNext((key) -> logger.info("Revoked API key {} of tenant {}", key.id(), key.tenantId()))
			.switchIfEmpty(Mono.error(() -> new ApiException(HttpStatus.NOT_FOUND, "key_not_found",
					"Tenant '" + tenantId + "' has no key '" + keyId + "'")));
	}

	private Mono<Tenant> existingTenant(String tenantId) {
		return this.store.tenant(tenantId)
			.switchIfEmpty(Mono.error(
					() -> new ApiException(HttpStatus.NOT_FOUND, "tenant_not_found", "No tenant '" + tenantId + "'")));
	}

}
