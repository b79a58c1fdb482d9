package io.tollgate.contract.frontdoor;

/**
 * Header names the gateway's front door sets on every request it forwards to a service. A
 * client cannot set them itself: the gateway replaces whatever the client sent.
 */
public final class FrontDoorHeaders {

	/** The internal credential every service requires; from configuration. */
	public static final String INTERNAL_TOKEN = "x-tollgate-internal-token";

	/** {@code tenant} or {@code admin}. */
	public static final String CALLER = "x-tollgate-caller";

	/** The authenticated tenant, for a tenant caller. */
	public static final String TENANT_ID = "x-tollgate-tenant-id";

	/** The id of the key the tenant authenticated with, for a tenant caller. */
	public static final String API_KEY_ID = "x-tollgate-api-key-id";

	/** The query parameter by which the admin names the tenant a request is about. */
	public static final String TENANT_QUERY_PARAMETER = "tenant_id";

	/** Value of {@link #CALLER} for a tenant. */
	public static final String TENANT_CALLER = "tenant";

	/** Value of {@link #CALLER} for the admin. */
	public static final String ADMIN_CALLER = "admin";

	private FrontDoorHeaders() {
	}

}
