package io.tollgate.gateway.tenant;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;

import io.r2dbc.spi.Readable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;

/**
 * Tenants and keys in PostgreSQL, through R2DBC. Revoking a key also sends a PostgreSQL
 * notification on {@value #REVOKED_CHANNEL} with the key's digest, in the same statement,
 * so every gateway instance evicts it from its cache when the revocation commits.
 */
@Repository
class TenantStore {

	static final String REVOKED_CHANNEL = "tollgate_api_key_revoked";

	private final DatabaseClient db;

	private final Clock clock;

	TenantStore(DatabaseClient db, Clock clock) {
		this.db = db;
		this.clock = clock;
	}

	Mono<Tenant> createTenant(String id, String name) {
		return this.db.sql("INSERT INTO tenants (id, name) VALUES (:id, :name) RETURNING id, name, created_at")
			.bind("id", id)
			.bind("name", name)
			.map(TenantStore::toTenant)
			.one()
			.onErrorMap(DuplicateKeyException.class,
					(ex) -> new TenantConflictException("A tenant with id '" + id + "' exists already"));
	}

	Flux<Tenant> tenants() {
		return this.db.sql("SELECT id, name, created_at FROM tenants ORDER BY created_at, id")
			.map(TenantStore::toTenant)
			.all();
	}

	Mono<Tenant> tenant(String id) {
		return this.db.sql("SELECT id, name, created_at FROM tenants WHERE id = :id")
			.bind("id", id)
			.map(TenantStore::toTenant)
			.one();
	}

	Mono<ApiKey> createKey(String id, String tenantId, String name, String prefix, byte[] secretHash) {
		return this.db
			.sql("INSERT INTO api_keys (id, tenant_id, name, prefix, secret_hash) "
					+ "VALUES (:id, :tenant, :name, :prefix, :hash) "
					+ "RETURNING id, tenant_id, name, prefix, created_at, revoked_at")
			.bind("id", id)
			.bind("tenant", tenantId)
			.bind("name", name)
			.bind("prefix", prefix)
			.bind("hash", secretHash)
			.map(TenantStore::toKey)
			.one();
	}

	Flux<ApiKey> keys(String tenantId) {
		return this.db
			.sql("SELECT id, tenant_id, name, prefix, created_at, revoked_at FROM api_keys "
					+ "WHERE tenant_id = :tenant ORDER BY created_at, id")
			.bind("tenant", tenantId)
			.map(TenantStore::toKey)
			.all();
	}

	/**
	 * Revokes a key of a tenant; revoking a revoked key keeps its first revocation time.
	 */
	Mono<Revocation> revokeKey(String tenantId, String keyId) {
		return this.db.sql("""
				WITH revoked AS (
				    UPDATE api_keys SET revoked_at = coalesce(revoked_at, :now)
				    WHERE id = :id AND tenant_id = :tenant
				    RETURNING id, tenant_id, name, prefix, created_at, revoked_at, secret_hash)
				SELECT id, tenant_id, name, prefix, created_at, revoked_at,
				       encode(secret_hash, 'hex') AS digest,
				       pg_notify('%s', encode(secret_hash, 'hex')) AS notified
				FROM revoked""".formatted(REVOKED_CHANNEL))
			.bind("id", keyId)
			.bind("tenant", tenantId)
			.bind("now", OffsetDateTime.ofInstant(this.clock.instant(), ZoneOffset.UTC))
			.map((row) -> new Revocation(toKey(row), row.get("digest", String.class)))
			.one();
	}

	/**
	 * A revoked key and the digest under which caches hold it.
	 */
	record Revocation(ApiKey key, String digest) {

	}

	Mono<AuthenticatedKey> findActiveKey(byte[] secretHash) {
		return this.db.sql("SELECT id, tenant_id FROM api_keys WHERE secret_hash = :hash AND revoked_at IS NULL")
			.bind("hash", secretHash)
			.map((row) -> new AuthenticatedKey(row.get("id", String.class), row.get("tenant_id", String.class)))
			.one();
	}

	static String hex(byte[] hash) {
		return HexFormat.of().formatHex(hash);
	}

	private static Tenant toTenant(Readable row) {
		return new Tenant(row.get("id", String.class), row.get("name", String.class),
				row.get("created_at", Instant.class));
	}

	private static ApiKey toKey(Readable row) {
		return new ApiKey(row.get("id", String.class), row.get("tenant_id", String.class),
				row.get("name", String.class), row.get("prefix", String.class), row.get("created_at", Instant.class),
				row.get("revoked_at", Instant.class));
	}

}
