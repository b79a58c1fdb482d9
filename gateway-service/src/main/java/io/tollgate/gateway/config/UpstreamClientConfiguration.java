package io.tollgate.gateway.config;

import io.netty.channel.ChannelOption;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * The HTTP client the proxy calls providers with: a pooled Reactor Netty client that
 * never decompresses, never follows redirects and adds no headers of its own, so the
 * bytes it relays are the provider's.
 */
@Configuration(proxyBeanMethods = false)
class UpstreamClientConfiguration {

	@Bean
	WebClient upstreamWebClient(GatewayProperties properties) {
		GatewayProperties.Providers providers = properties.providers();
		ConnectionProvider pool = ConnectionProvider.builder("upstream")
			.maxConnections(2000)
			.pendingAcquireMaxCount(10_000)
			.maxIdleTime(java.time.Duration.ofSeconds(30))
			.build();
		HttpClient client = HttpClient.create(pool)
			.compress(false)
			.followRedirect(false)
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) providers.connectTimeout().toMillis())
			.responseTimeout(providers.responseTimeout());
		return WebClient.builder().clientConnector(new ReactorClientHttpConnector(client)).build();
	}

}
