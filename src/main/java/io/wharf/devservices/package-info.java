/**
 * Dev and test only: what {@code ./mvnw quarkus:dev} and the test resources need on a machine without
 * Docker (a local PostgreSQL database made on demand, S3Proxy as a child process). It lives in
 * {@code src/main} because dev mode and the tests load it from the application's class path, so it ships
 * in the jar; in production it is inert: {@link io.wharf.devservices.DevServicesConfigSourceFactory}
 * returns nothing unless the profile is {@code dev}, and no product code uses these classes.
 * {@code DevServicesInertInProdIT} checks that a production start creates no database and starts no S3Proxy.
 */
package io.wharf.devservices;
