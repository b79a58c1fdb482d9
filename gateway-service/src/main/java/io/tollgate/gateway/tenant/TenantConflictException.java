package io.tollgate.gateway.tenant;

import io.tollgate.support.web.ApiException;

import org.springframework.http.HttpStatus;

/**
 * A tenant id that is taken.
 */
class TenantConflictException extends ApiException {

	TenantConflictException(String message) {
		super(HttpStatus.CONFLICT, "tenant_exists", message);
	}

}
