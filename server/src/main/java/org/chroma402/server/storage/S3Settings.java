package org.chroma402.server.storage;

import java.net.URI;
import java.util.Objects;

/**
 * Where an {@link S3BlobStore} keeps its objects: an S3-compatible endpoint (AWS, MinIO, Ceph,
 * Garage, S3Proxy), a bucket and a key prefix, and the access key pair.
 *
 * @param endpoint null for AWS's own endpoint of {@code region}
 * @param pathStyle {@code https://host/bucket/key} rather than {@code https://bucket.host/key}: what
 *     most self-hosted servers need
 */
public record S3Settings(URI endpoint, String region, String bucket, String prefix, String accessKey,
        String secretKey, boolean pathStyle) {

    public S3Settings {
        Objects.requireNonNull(region, "region");
        if (bucket == null || bucket.isBlank()) {
            throw new IllegalArgumentException("results.s3.bucket is required with results.store: s3");
        }
        if ((accessKey == null) != (secretKey == null)) {
            throw new IllegalArgumentException("give both results.s3.access-key and results.s3.secret-key, or neither");
        }
        prefix = prefix == null ? "" : prefix;
    }

    @Override
    public String toString() {
        return "S3Settings[endpoint=" + endpoint + ", region=" + region + ", bucket=" + bucket + ", prefix=" + prefix
                + ", pathStyle=" + pathStyle + ", keys=redacted]";
    }
}
