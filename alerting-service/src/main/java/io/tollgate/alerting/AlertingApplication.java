package io.tollgate.alerting;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * Starts the alerting service.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class AlertingApplication {

	public static void main(String[] args) {
		SpringApplication.run(AlertingApplication.class, args);
	}

}
