package io.tollgate.alerting;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * Starts the alerting service.
 */
@SpringBootApplication
public class AlertingApplication {

	public static void main(String[] args) {
		SpringApplication.run(AlertingApplication.class, args);
	}

}
