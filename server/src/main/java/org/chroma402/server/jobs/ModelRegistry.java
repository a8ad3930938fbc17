package org.chroma402.server.jobs;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.chroma402.colorize.pipeline.ColorizationPipeline;

/**
 * The models this server sells: each with its price and, once its model is loaded, the
 * pipeline that runs it. A model that is priced but not loaded is listed as unavailable with the
 * reason (being downloaded, not installed, damaged), and requests for it get a 503 before any
 * invoice is made. Models become available while the server runs ({@link #install}): the first
 * pull on a fresh server, or one installed from the command line.
 *
 * <p>A loaded model whose runs go to inference servers is listed as unavailable, with the engine's
 * reason, while none of its servers is ready, and as available again once one is: listings are
 * read live, not fixed at start.
 *
 * <p>An optional model (an extra {@code model_size} beyond the public API's two) is listed only
 * once it is available.
 */
public final class ModelRegistry implements AutoCloseable {

    /**
     * One sellable model as the API lists it.
     *
     * @param official whether its weights are the authors' pinned checkpoint; null until known (not loaded)
     */
    public record Listing(String name, String description, long priceSat, Integer inputSize, boolean available,
            String unavailableReason, Boolean official) {

        /** A listing whose weights' origin is not known. */
        public Listing(String name, String description, long priceSat, Integer inputSize, boolean available, String unavailableReason) {
            this(name, description, priceSat, inputSize, available, unavailableReason, null);
        }
    }

    private record Slot(Listing listing, ColorizationPipeline pipeline, boolean optional) {
    }

    private final Map<String, Slot> slots = new LinkedHashMap<>();

    /** Models loaded (or not) once, at start. */
    public ModelRegistry(Map<String, ColorizationPipeline> pipelines, List<Listing> listings) {
        for (Listing l : listings) {
            slots.put(l.name(), new Slot(l, pipelines.get(l.name()), false));
        }
    }

    /** An empty registry; {@link #offer} adds each model. */
    public ModelRegistry() {
    }

    /** Puts a model on sale, not yet available, with why; {@code optional} ones stay unlisted until available. */
    public synchronized void offer(String name, String description, long priceSat, boolean optional, String reason) {
        slots.put(name, new Slot(new Listing(name, description, priceSat, null, false, reason), null, optional));
    }

    /** Makes a model available with its loaded pipeline; false (and nothing changed) when one is loaded already. */
    public synchronized boolean install(String name, ColorizationPipeline pipeline) {
        Slot slot = slots.get(name);
        return slot != null && install(name, pipeline, slot.listing().description(), null);
    }

    /** As {@link #install(String, ColorizationPipeline)}, described by what is installed: its words and whether its weights are official. */
    public synchronized boolean install(String name, ColorizationPipeline pipeline, String description, Boolean official) {
        Slot slot = slots.get(name);
        if (slot == null || slot.pipeline() != null) {
            return false;
        }
        Listing l = slot.listing();
        slots.put(name, new Slot(new Listing(name, description, l.priceSat(), pipeline.engine().info().inputSize(), true, null, official),
                pipeline, slot.optional()));
        return true;
    }

    /** Says why a model that is not loaded is unavailable (downloading, damaged files, …). */
    public synchronized void unavailable(String name, String reason) {
        Slot slot = slots.get(name);
        if (slot != null && slot.pipeline() == null) {
            Listing l = slot.listing();
            slots.put(name, new Slot(new Listing(name, l.description(), l.priceSat(), null, false, reason), null, slot.optional()));
        }
    }

    public synchronized Optional<ColorizationPipeline> pipeline(String model) {
        Slot slot = slots.get(model);
        return slot == null ? Optional.empty() : Optional.ofNullable(slot.pipeline());
    }

    /** A model on sale, listed or not (optional models are found here before they are listed). */
    public synchronized Optional<Listing> listing(String model) {
        Slot slot = slots.get(model);
        return slot == null ? Optional.empty() : Optional.of(live(slot));
    }

    /** A slot's listing as of now: a loaded model whose engine cannot run says why. */
    private static Listing live(Slot slot) {
        Listing l = slot.listing();
        if (slot.pipeline() == null) {
            return l;
        }
        return slot.pipeline().engine().whyNotReady()
                .map(why -> new Listing(l.name(), l.description(), l.priceSat(), l.inputSize(), false, why)).orElse(l);
    }

    /** The models as the API lists them: every offered one, and optional ones once available. */
    public synchronized List<Listing> listings() {
        List<Listing> out = new ArrayList<>();
        for (Slot slot : slots.values()) {
            if (!slot.optional() || slot.pipeline() != null) {
                out.add(live(slot));
            }
        }
        return out;
    }

    /** Every model name on sale, listed or not, for metrics. */
    public synchronized List<String> allNames() {
        return new ArrayList<>(slots.keySet());
    }

    public List<String> names() {
        List<String> out = new ArrayList<>();
        listings().forEach(l -> out.add(l.name()));
        return out;
    }

    /** The price of one colorization with this model in millisatoshis, if it is on sale. */
    public OptionalLong priceMsat(String model) {
        return listing(model).map(l -> OptionalLong.of(l.priceSat() * 1000)).orElse(OptionalLong.empty());
    }

    /** Whether new, unpaid work for this model should wait: its queue is full, or it is not loaded at all. */
    public boolean isSaturated(String model) {
        return pipeline(model).map(ColorizationPipeline::isSaturated).orElse(true);
    }

    /** Whether some model could run now: loaded, and (when it runs on inference servers) with a server ready. */
    public synchronized boolean anyAvailable() {
        return slots.values().stream().anyMatch(s -> s.pipeline() != null && s.pipeline().engine().isReady());
    }

    @Override
    public synchronized void close() {
        slots.values().forEach(s -> {
            if (s.pipeline() != null) {
                s.pipeline().engine().close();
            }
        });
    }
}
