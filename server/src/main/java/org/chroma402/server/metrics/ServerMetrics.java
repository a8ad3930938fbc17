package org.chroma402.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.core.metrics.Info;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * What operators watch, in Prometheus form at {@code /metrics}: requests, challenges minted,
 * payments redeemed, sats earned, model and job latency (histograms), queue depth, whether the
 * models and the Lightning node are up, the build, and the JVM's and the process's own metrics.
 */
public final class ServerMetrics implements AutoCloseable {
    /** Job latency buckets: a tiny model on a GPU takes well under a second, a large one on two cores a minute. */
    private static final Duration[] JOB_BUCKETS = {Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
        Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(20), Duration.ofSeconds(30),
        Duration.ofSeconds(60), Duration.ofSeconds(120), Duration.ofSeconds(300)};

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();

    /** The registry with the JVM's and the process's own metrics and {@code chroma402_build_info}. */
    public ServerMetrics(BuildInfo build) {
        // Two of the standard process meters break Prometheus naming rules (promtool flags them):
        // CPU time in nanoseconds (process_cpu_usage says the same) and a gauge named "_count".
        registry.config().meterFilter(MeterFilter.deny(id -> id.getName().equals("process.cpu.time")));
        registry.config().meterFilter(new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                return id.getName().equals("system.cpu.count") ? id.withName("system.cpus.available") : id;
            }
        });
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        // Micrometer drops an "_info" suffix; an Info metric of the Prometheus client keeps the usual name.
        Info info = Info.builder().name("chroma402_build_info").help("This build, labelled with its version and commit")
                .labelNames("version", "commit").build();
        info.setLabelValues(build.version(), build.commit());
        registry.getPrometheusRegistry().register(info);
    }

    /** An "up" gauge: 1 while {@code up} says so, else 0 (a model loaded, the Lightning node reachable). */
    public void up(String name, String description, java.util.function.BooleanSupplier up, String... tags) {
        Gauge.builder(name, () -> up.getAsBoolean() ? 1 : 0).description(description).tags(tags).register(registry);
    }

    @Override
    public void close() {
        gc.close();
    }

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
                .tag("model", model).serviceLevelObjectives(JOB_BUCKETS).register(registry).record(total);
    }

    public void error(String code) {
        Counter.builder("chroma402_errors").description("Error responses by code").tag("code", code)
                .register(registry).increment();
    }

    public void jobFailed(String model) {
        Counter.builder("chroma402_jobs_failed").description("Paid jobs whose colorization failed")
                .tag("model", model).register(registry).increment();
    }

    /** Time an unpaid request spent in one step on its way to a 402 ({@code bench http} prints the split). */
    public void challengeStage(String stage, long nanos) {
        Timer.builder("chroma402_challenge_stage_seconds").description("Time unpaid requests spend in each step before their 402")
                .tag("stage", stage).register(registry).record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
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
