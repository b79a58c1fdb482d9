package io.tollgate.contract.frontdoor;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.function.UnaryOperator;

import org.jspecify.annotations.Nullable;

/**
 * Who is calling a service through the front door: a tenant (with the key it used) or the
 * admin.
 */
public sealed interface InternalCaller {

	/**
	 * Decides who a forwarded request comes from.
	 * <p>
	 * The internal token is compared in constant time; a request without it, or with a
	 * wrong one, did not come through the gateway and is refused whatever else it says.
	 * @param expectedToken the internal token from configuration
	 * @param header reads a request header by name, {@code null} when absent
	 * @return the caller, or why the request is refused
	 */
	static Authentication authenticate(String expectedToken, UnaryOperator<@Nullable String> header) {
		String token = header.apply(FrontDoorHeaders.INTERNAL_TOKEN);
		if (expectedToken.isEmpty() || token == null || !MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8),
				expectedToken.getBytes(StandardCharsets.UTF_8))) {
			return new Refused(401, "internal_credential_required",
					"This service is reached only through the Tollgate gateway");
		}
		String caller = header.apply(FrontDoorHeaders.CALLER);
		if (FrontDoorHeaders.ADMIN_CALLER.equals(caller)) {
			return new Accepted(new Admin());
		}
		if (FrontDoorHeaders.TENANT_CALLER.equals(caller)) {
			String tenantId = header.apply(FrontDoorHeaders.TENANT_ID);
			String apiKeyId = header.apply(FrontDoorHeaders.API_KEY_ID);
			if (tenantId != null && !tenantId.isBlank() && apiKeyId != null && !apiKeyId.isBlank()) {
				return new Accepted(new Tenant(tenantId, apiKeyId));
			}
		}
		return new Refused(401, "caller_unknown", "The gateway did not say who is calling");
	}

	/**
	 * The tenant a request may act on.
	 * <p>
	 * A tenant acts on itself: naming another tenant is refused, never silently replaced.
	 * The admin must name the tenant with
	 * {@value FrontDoorHeaders#TENANT_QUERY_PARAMETER}.
	 * @param requestedTenant the {@value FrontDoorHeaders#TENANT_QUERY_PARAMETER} query
	 * parameter, {@code null} when absent
	 * @return the tenant, or why the request is refused
	 */
	Scope scope(@Nullable String requestedTenant);

	/**
	 * A tenant, authenticated by the gateway with one of its keys.
	 *
	 * @param tenantId the tenant
	 * @param apiKeyId the key it used
	 */
	record Tenant(String tenantId, String apiKeyId) implements InternalCaller {

		@Override
		public Scope scope(@Nullable String requestedTenant) {
			if (requestedTenant == null || requestedTenant.isEmpty() || requestedTenant.equals(this.tenantId)) {
				return new Scoped(this.tenantId);
			}
			return new Refused(403, "tenant_forbidden", "A tenant key can only read its own tenant");
		}

	}

	/** The admin credential: may act on any tenant. */
	record Admin() implements InternalCaller {

		@Override
		public Scope scope(@Nullable String requestedTenant) {
			if (requestedTenant == null || requestedTenant.isBlank()) {
				return new Refused(400, "tenant_required",
						"The admin credential must name a tenant with the tenant_id query parameter");
			}
			return new Scoped(requestedTenant);
		}

	}

	/** The outcome of {@link InternalCaller#authenticate}. */
	sealed interface Authentication {

	}

	/** The outcome of {@link InternalCaller#scope}. */
	sealed interface Scope {

	}

	/**
	 * The request came through the gateway from this caller.
	 *
	 * @param caller the caller
	 */
	record Accepted(InternalCaller caller) implements Authentication {

	}

	/**
	 * The request may act on this tenant.
	 *
	 * @param tenantId the tenant
	 */
	record Scoped(String tenantId) implements Scope {

	}

	/**
	 * The request is refused.
	 *
	 * @param status the HTTP status to answer with
	 * @param code the machine-readable code
	 * @param message what went wrong, for a person
	 */
	record Refused(int status, String code, String message) implements Authentication, Scope {

	}

}
