package org.chroma402.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * What operators watch, in Prometheus form at {@code /metrics}: requests, challenges minted,
 * payments redeemed, sats earned, model latency and queue depth.
 */
public final class ServerMetrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    public void request(String method, String route, int status) {
        Counter.builder("chroma402_http_requests").description("HTTP requests by route and status")
                .tag("method", method).tag("route", route).tag("status", Integer.toString(status))
                .register(registry).increment();
    }

    public void challengeMinted(String model) {
        Counter.builder("chroma402_challenges_minted").description("402 challenges issued (each with an invoice)")
                .tag("model", model).register(registry).increment();
    }

    public void paymentRedeemed(String model, long amountMsat) {
        Counter.builder("chroma402_payments_redeemed").description("Payments redeemed for a colorization")
                .tag("model", model).register(registry).increment();
        Counter.builder("chroma402_sats_earned").description("Satoshis earned from redeemed payments")
                .tag("model", model).register(registry).increment(amountMsat / 1000.0);
    }

    public void modelLatency(String model, Duration inference, Duration total) {
        Timer.builder("chroma402_model_latency").description("Time of one model run").tag("model", model)
                .publishPercentileHistogram().register(registry).record(inference);
        Timer.builder("chroma402_job_latency").description("Time of one paid job, decode to stored result")
                .tag("model", model).register(registry).record(total);
    }

    public void error(String code) {
        Counter.builder("chroma402_errors").description("Error responses by code").tag("code", code)
                .register(registry).increment();
    }

    public void jobFailed(String model) {
        Counter.builder("chroma402_jobs_failed").description("Paid jobs whose colorization failed")
                .tag("model", model).register(registry).increment();
    }

    public void queueDepth(String model, Supplier<Number> depth) {
        Gauge.builder("chroma402_queue_depth", depth).description("Images waiting for the model")
                .tag("model", model).register(registry);
    }

    public void gauge(String name, String description, Supplier<Number> value) {
        Gauge.builder(name, value).description(description).register(registry);
    }

    /** The Prometheus text exposition. */
    public String scrape() {
        return registry.scrape();
    }
}
