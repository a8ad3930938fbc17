package org.chroma402.server.storage;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * A {@link BlobStore} on an S3-compatible object store, shared by every replica: results (and the
 * inputs of unfinished jobs) under {@code prefix} in one bucket, via the AWS SDK for Java v2 over
 * the JDK's HTTP connection. A put is durable once S3 has answered it. The SDK retries transient
 * failures itself; what still fails is an {@link IOException}, so callers treat a store outage as
 * they treat a full disk.
 */
public final class S3BlobStore implements BlobStore, AutoCloseable {
    /** How long a health answer is reused: unpaid requests ask for every invoice. */
    private static final Duration HEALTH_CACHE = Duration.ofSeconds(2);

    private final S3Settings settings;
    private final S3Client s3;
    private final S3Presigner presigner;
    private final Clock clock;
    private volatile Instant healthCheckedAt = Instant.MIN;
    private volatile String unhealthy;

    public S3BlobStore(S3Settings settings, Duration timeout, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        AwsCredentialsProvider credentials = settings.accessKey() == null ? DefaultCredentialsProvider.builder().build()
                : StaticCredentialsProvider.create(AwsBasicCredentials.create(settings.accessKey(), settings.secretKey()));
        S3Configuration s3Config = S3Configuration.builder().pathStyleAccessEnabled(settings.pathStyle()).build();
        var builder = S3Client.builder()
                .region(Region.of(settings.region()))
                .credentialsProvider(credentials)
                .serviceConfiguration(s3Config)
                // Self-hosted S3 servers do not all speak the SDK's newer default checksums.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .httpClient(UrlConnectionHttpClient.builder().connectionTimeout(timeout).socketTimeout(timeout).build());
        var presign = S3Presigner.builder().region(Region.of(settings.region())).credentialsProvider(credentials)
                .serviceConfiguration(s3Config);
        if (settings.endpoint() != null) {
            builder.endpointOverride(settings.endpoint());
            presign.endpointOverride(settings.endpoint());
        }
        this.s3 = builder.build();
        this.presigner = presign.build();
    }

    private String key(String name) {
        return settings.prefix() + name;
    }

    @Override
    public void put(String name, byte[] bytes) throws IOException {
        try {
            s3.putObject(b -> b.bucket(settings.bucket()).key(key(name)).contentType(contentType(name)),
                    RequestBody.fromBytes(bytes));
        } catch (SdkException e) {
            throw failure("store " + name, e);
        }
    }

    @Override
    public Optional<byte[]> get(String name) throws IOException {
        try {
            ResponseBytes<GetObjectResponse> object = s3.getObjectAsBytes(b -> b.bucket(settings.bucket()).key(key(name)));
            return Optional.of(object.asByteArray());
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw failure("read " + name, e);
        } catch (SdkException e) {
            throw failure("read " + name, e);
        }
    }

    @Override
    public boolean delete(String name) throws IOException {
        try {
            // S3 deletes succeed whether or not the object existed; the HEAD says which it was.
            s3.headObject(b -> b.bucket(settings.bucket()).key(key(name)));
        } catch (NoSuchKeyException e) {
            return false;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw failure("delete " + name, e);
        } catch (SdkException e) {
            throw failure("delete " + name, e);
        }
        try {
            s3.deleteObject(b -> b.bucket(settings.bucket()).key(key(name)));
            return true;
        } catch (SdkException e) {
            throw failure("delete " + name, e);
        }
    }

    @Override
    public void checkHealth() throws IOException {
        Instant now = clock.instant();
        if (now.isBefore(healthCheckedAt.plus(HEALTH_CACHE))) {
            if (unhealthy != null) {
                throw new IOException(unhealthy);
            }
            return;
        }
        try {
            s3.headBucket(b -> b.bucket(settings.bucket()));
            unhealthy = null;
        } catch (SdkException e) {
            unhealthy = "the S3 bucket " + settings.bucket() + " is unreachable: " + reason(e);
        }
        healthCheckedAt = now;
        if (unhealthy != null) {
            throw new IOException(unhealthy);
        }
    }

    @Override
    public Optional<URI> presignedGet(String name, Duration validity) {
        try {
            return Optional.of(presigner.presignGetObject(b -> b.signatureDuration(validity)
                    .getObjectRequest(g -> g.bucket(settings.bucket()).key(key(name)))).url().toURI());
        } catch (java.net.URISyntaxException | SdkException e) {
            return Optional.empty();
        }
    }

    /** Creates the bucket if it is missing (for development servers; production buckets are made by their operators). */
    public void createBucketIfMissing() throws IOException {
        try {
            s3.headBucket(b -> b.bucket(settings.bucket()));
        } catch (S3Exception e) {
            if (e.statusCode() != 404) {
                throw failure("check the bucket", e);
            }
            try {
                s3.createBucket(b -> b.bucket(settings.bucket()));
            } catch (SdkException created) {
                throw failure("create the bucket", created);
            }
        } catch (SdkException e) {
            throw failure("check the bucket", e);
        }
    }

    private static String contentType(String name) {
        return name.endsWith(".png") ? "image/png" : name.endsWith(".jpg") ? "image/jpeg" : "application/octet-stream";
    }

    private IOException failure(String what, SdkException e) {
        return new IOException("S3 (" + settings.bucket() + "): cannot " + what + ": " + reason(e), e);
    }

    private static String reason(SdkException e) {
        if (e instanceof S3Exception s3e && s3e.awsErrorDetails() != null) {
            return s3e.statusCode() + " " + s3e.awsErrorDetails().errorCode();
        }
        return e.getMessage();
    }

    @Override
    public void close() {
        s3.close();
        presigner.close();
    }
}
