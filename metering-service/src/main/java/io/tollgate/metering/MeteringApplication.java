package io.tollgate.metering;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * Starts the metering service.
 */
@SpringBootApplication
public class MeteringApplication {

	public static void main(String[] args) {
		SpringApplication.run(MeteringApplication.class, args);
	}

}
