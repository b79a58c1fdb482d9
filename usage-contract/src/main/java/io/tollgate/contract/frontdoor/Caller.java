package io.tollgate.contract.frontdoor;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.function.BiConsumer;
import java.util.function.UnaryOperator;

import org.jspecify.annotations.Nullable;

/**
 * Who is making a request: a tenant (with the key it used) or the admin. The gateway
 * decides it from the client's credential and {@link #forward writes it} onto every
 * request it forwards; a service {@link #authenticate reads it back}. Both halves live
 * here so that the gateway and the services cannot disagree on the headers.
 *
 * <p>
 * Refusals say why ({@link Reason}), not how to answer: each side maps a reason to its
 * own protocol (service-support to an HTTP status).
 */
public sealed interface Caller {

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
			return new Refused(Reason.NOT_THROUGH_GATEWAY);
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
		return new Refused(Reason.CALLER_UNKNOWN);
	}

	/**
	 * Writes the headers by which a service {@link #authenticate authenticates} this
	 * caller.
	 * @param internalToken the internal token from configuration
	 * @param header sets a request header, replacing what the client sent
	 */
	default void forward(String internalToken, BiConsumer<String, String> header) {
		header.accept(FrontDoorHeaders.INTERNAL_TOKEN, internalToken);
		switch (this) {
			case Tenant tenant -> {
				header.accept(FrontDoorHeaders.CALLER, FrontDoorHeaders.TENANT_CALLER);
				header.accept(FrontDoorHeaders.TENANT_ID, tenant.tenantId());
				header.accept(FrontDoorHeaders.API_KEY_ID, tenant.apiKeyId());
			}
			case Admin admin -> header.accept(FrontDoorHeaders.CALLER, FrontDoorHeaders.ADMIN_CALLER);
		}
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
	 * A tenant's application, with one of the tenant's keys.
	 *
	 * @param tenantId the tenant
	 * @param apiKeyId the key it used
	 */
	record Tenant(String tenantId, String apiKeyId) implements Caller {

		@Override
		public Scope scope(@Nullable String requestedTenant) {
			if (requestedTenant == null || requestedTenant.isEmpty() || requestedTenant.equals(this.tenantId)) {
				return new Scoped(this.tenantId);
			}
			return new Refused(Reason.TENANT_FORBIDDEN);
		}

	}

	/** The operator, with the admin credential: may act on any tenant it names. */
	record Admin() implements Caller {

		@Override
		public Scope scope(@Nullable String requestedTenant) {
			if (requestedTenant == null || requestedTenant.isBlank()) {
				return new Refused(Reason.TENANT_REQUIRED);
			}
			return new Scoped(requestedTenant);
		}

	}

	/** The outcome of {@link Caller#authenticate}. */
	sealed interface Authentication {

	}

	/** The outcome of {@link Caller#scope}. */
	sealed interface Scope {

	}

	/**
	 * The request came through the gateway from this caller.
	 *
	 * @param caller the caller
	 */
	record Accepted(Caller caller) implements Authentication {

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
	 * @param reason why
	 */
	record Refused(Reason reason) implements Authentication, Scope {

	}

	/** Why a request is refused, with the machine-readable code and a message. */
	enum Reason {

		/**
		 * No internal token, or a wrong one: the request did not come through the
		 * gateway.
		 */
		NOT_THROUGH_GATEWAY("internal_credential_required",
				"This service is reached only through the Tollgate gateway"),

		/**
		 * The internal token is right but the caller headers are missing or incomplete.
		 */
		CALLER_UNKNOWN("caller_unknown", "The gateway did not say who is calling"),

		/** A tenant key named another tenant. */
		TENANT_FORBIDDEN("tenant_forbidden", "A tenant key can only read its own tenant"),

		/** The admin named no tenant. */
		TENANT_REQUIRED("tenant_required",
				"The admin credential must name a tenant with the tenant_id query parameter");

		private final String code;

		private final String message;

		Reason(String code, String message) {
			this.code = code;
			this.message = message;
		}

		/**
		 * The machine-readable code.
		 * @return e.g. {@code tenant_forbidden}
		 */
		public String code() {
			return this.code;
		}

		/**
		 * What went wrong, for a person.
		 * @return the message
		 */
		public String message() {
			return this.message;
		}

	}

}
