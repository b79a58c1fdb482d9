package io.tollgate.support.query;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.tollgate.support.web.ApiException;

import org.springframework.http.HttpStatus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Query parameters for the tests, as a request's multi-valued map.
 */
final class Params {

	private Params() {
	}

	/** Name-value pairs; a name may repeat. */
	static Map<String, List<String>> of(String... pairs) {
		Map<String, List<String>> params = new LinkedHashMap<>();
		for (int i = 0; i < pairs.length; i += 2) {
			params.computeIfAbsent(pairs[i], (name) -> new ArrayList<>()).add(pairs[i + 1]);
		}
		return params;
	}

	/** A query string such as {@code a=1&b=2}, not URL-decoded. */
	static Map<String, List<String>> query(String query) {
		List<String> pairs = new ArrayList<>();
		for (String pair : query.split("&")) {
			int equals = pair.indexOf('=');
			pairs.add(pair.substring(0, equals));
			pairs.add(pair.substring(equals + 1));
		}
		return of(pairs.toArray(String[]::new));
	}

	static String[] append(String[] pairs, String... more) {
		List<String> all = new ArrayList<>(List.of(pairs));
		all.addAll(List.of(more));
		return all.toArray(String[]::new);
	}

	static void assertRejected(Runnable parse, String param) {
		assertThatExceptionOfType(ApiException.class).isThrownBy(parse::run).satisfies((ex) -> {
			assertThat(ex.status()).isEqualTo(HttpStatus.BAD_REQUEST);
			assertThat(ex.code()).isEqualTo("invalid_parameter");
			assertThat(ex.details()).containsEntry("param", param);
			assertThat(ex.getMessage()).isNotBlank();
		});
	}

}
