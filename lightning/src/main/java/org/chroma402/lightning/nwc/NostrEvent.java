package org.chroma402.lightning.nwc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * A signed Nostr event (NIP-01). Its id is the SHA-256 of the canonical array
 * {@code [0, pubkey, created_at, kind, tags, content]}; its signature is BIP-340 over that id.
 * Events read from a relay are checked with {@link #verify()} before anything trusts them.
 */
public record NostrEvent(String id, String pubkey, long createdAt, int kind, List<List<String>> tags, String content,
        String sig) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HexFormat HEX = HexFormat.of();

    public NostrEvent {
        tags = tags.stream().map(List::copyOf).toList();
    }

    /** Creates and signs an event. */
    public static NostrEvent sign(NostrKeys keys, long createdAt, int kind, List<List<String>> tags, String content,
            SecureRandom random) {
        String id = idOf(keys.publicKeyHex(), createdAt, kind, tags, content);
        return new NostrEvent(id, keys.publicKeyHex(), createdAt, kind, tags, content,
                HEX.formatHex(keys.sign(HEX.parseHex(id), random)));
    }

    /** The event id NIP-01 defines for these fields. */
    public static String idOf(String pubkey, long createdAt, int kind, List<List<String>> tags, String content) {
        ArrayNode canonical = JSON.createArrayNode();
        canonical.add(0).add(pubkey).add(createdAt).add(kind);
        addTags(canonical.addArray(), tags);
        canonical.add(content);
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(JSON.writeValueAsString(canonical).getBytes(StandardCharsets.UTF_8));
            return HEX.formatHex(digest);
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void addTags(ArrayNode into, List<List<String>> tags) {
        for (List<String> tag : tags) {
            ArrayNode t = into.addArray();
            tag.forEach(t::add);
        }
    }

    /** Whether the id matches the fields and the signature is the author's. */
    public boolean verify() {
        if (id == null || sig == null || !id.matches("[0-9a-f]{64}") || !sig.matches("[0-9a-f]{128}")) {
            return false;
        }
        if (!id.equals(idOf(pubkey, createdAt, kind, tags, content))) {
            return false;
        }
        return NostrKeys.verify(pubkey, HEX.parseHex(id), HEX.parseHex(sig));
    }

    /** The first value of the first tag with this name. */
    public Optional<String> tag(String name) {
        return tags.stream().filter(t -> t.size() >= 2 && name.equals(t.get(0))).map(t -> t.get(1)).findFirst();
    }

    public ObjectNode toJson() {
        ObjectNode out = JSON.createObjectNode();
        out.put("id", id);
        out.put("pubkey", pubkey);
        out.put("created_at", createdAt);
        out.put("kind", kind);
        addTags(out.putArray("tags"), tags);
        out.put("content", content);
        out.put("sig", sig);
        return out;
    }

    /** Reads an event object; throws {@link NostrException} for anything that is not one. */
    public static NostrEvent fromJson(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new NostrException("an event is a JSON object");
        }
        JsonNode tagsNode = node.path("tags");
        if (!node.path("id").isTextual() || !node.path("pubkey").isTextual() || !node.path("created_at").canConvertToLong()
                || !node.path("kind").canConvertToInt() || !tagsNode.isArray() || !node.path("content").isTextual()
                || !node.path("sig").isTextual()) {
            throw new NostrException("an event needs id, pubkey, created_at, kind, tags, content and sig");
        }
        List<List<String>> tags = new ArrayList<>();
        for (JsonNode tag : tagsNode) {
            if (!tag.isArray()) {
                throw new NostrException("every tag is an array of strings");
            }
            List<String> values = new ArrayList<>();
            for (JsonNode v : tag) {
                if (!v.isTextual()) {
                    throw new NostrException("every tag is an array of strings");
                }
                values.add(v.asText());
            }
            tags.add(values);
        }
        return new NostrEvent(node.get("id").asText(), node.get("pubkey").asText(), node.get("created_at").asLong(),
                node.get("kind").asInt(), tags, node.get("content").asText(), node.get("sig").asText());
    }
}
