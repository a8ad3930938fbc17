package org.chroma402.server.jobs;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.chroma402.colorize.pipeline.ColorizationPipeline;

/**
 * The models this server sells: each with its price and, when its file was loaded, the pipeline
 * that runs it. A model that is priced but not loaded is listed as unavailable, and requests
 * for it get a 503 before any invoice is made.
 */
public final class ModelRegistry implements AutoCloseable {

    /** One sellable model as the API lists it. */
    public record Listing(String name, String description, long priceSat, Integer inputSize, boolean available,
            String unavailableReason) {
    }

    private final Map<String, ColorizationPipeline> pipelines;
    private final List<Listing> listings;

    public ModelRegistry(Map<String, ColorizationPipeline> pipelines, List<Listing> listings) {
        this.pipelines = Collections.unmodifiableMap(new LinkedHashMap<>(pipelines));
        this.listings = List.copyOf(listings);
    }

    public Optional<ColorizationPipeline> pipeline(String model) {
        return Optional.ofNullable(pipelines.get(model));
    }

    public Optional<Listing> listing(String model) {
        return listings.stream().filter(l -> l.name().equals(model)).findFirst();
    }

    public List<Listing> listings() {
        return listings;
    }

    public List<String> names() {
        List<String> out = new ArrayList<>();
        listings.forEach(l -> out.add(l.name()));
        return out;
    }

    /** The price of one colorization with this model in millisatoshis, if it is on sale. */
    public java.util.OptionalLong priceMsat(String model) {
        return listing(model).map(l -> java.util.OptionalLong.of(l.priceSat() * 1000)).orElse(java.util.OptionalLong.empty());
    }

    /** Whether new, unpaid work for this model should wait: its queue is full, or it is not loaded at all. */
    public boolean isSaturated(String model) {
        ColorizationPipeline pipeline = pipelines.get(model);
        return pipeline == null || pipeline.isSaturated();
    }

    public boolean anyAvailable() {
        return !pipelines.isEmpty();
    }

    @Override
    public void close() {
        pipelines.values().forEach(p -> p.engine().close());
    }
}
