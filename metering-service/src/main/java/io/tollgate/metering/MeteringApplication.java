package io.tollgate.metering;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * Starts the metering service.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class MeteringApplication {

	public static void main(String[] args) {
		SpringApplication.run(MeteringApplication.class, args);
	}

}
