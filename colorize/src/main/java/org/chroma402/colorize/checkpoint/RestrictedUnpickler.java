package org.chroma402.colorize.checkpoint;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the pickle of a PyTorch state dict without Python's {@code pickle} semantics: it builds
 * plain values (maps, lists, tuples, strings, numbers) and recognises only the globals a state
 * dict is made of — {@code collections.OrderedDict}, {@code torch._utils._rebuild_tensor_v2},
 * {@code torch._utils._rebuild_parameter} and the {@code torch.*Storage} types. Any other global
 * ({@code os.system}, {@code builtins.eval}, a class of the saving program) is refused with its
 * name before anything is built from it; nothing a pickle names is ever run.
 *
 * <p>Tensors come out as {@link TensorRef}s that point at storages in the surrounding archive.
 */
public final class RestrictedUnpickler {

    /** A storage of the archive, as a persistent id names it: {@code ('storage', type, key, location, numel)}. */
    public record StorageRef(String key, DType dtype, long elementCount) {
    }

    /** A tensor view of a storage: {@code _rebuild_tensor_v2(storage, offset, size, stride, …)}. */
    public record TensorRef(StorageRef storage, long offset, long[] shape, long[] stride) {
    }

    /** A tuple of the pickle, kept apart from lists because the two mean different things to REDUCE. */
    record Tuple(List<Object> items) {
    }

    private record Global(String module, String name) {
        String qualified() {
            return module + "." + name;
        }
    }

    private static final Object MARK = new Object();
    private static final Set<String> CALLABLES = Set.of("collections.OrderedDict", "torch._utils._rebuild_tensor_v2",
            "torch._utils._rebuild_parameter", "torch._utils._rebuild_parameter_with_state");
    private static final Map<String, DType> STORAGES = Map.ofEntries(Map.entry("FloatStorage", DType.F32),
            Map.entry("DoubleStorage", DType.F64), Map.entry("HalfStorage", DType.F16),
            Map.entry("BFloat16Storage", DType.BF16), Map.entry("LongStorage", DType.I64),
            Map.entry("IntStorage", DType.I32), Map.entry("ShortStorage", DType.I16), Map.entry("CharStorage", DType.I8),
            Map.entry("ByteStorage", DType.U8), Map.entry("BoolStorage", DType.BOOL));
    private static final int MAX_MEMO = 10_000_000;

    private final ByteBuffer in;
    private final List<Object> stack = new ArrayList<>();
    private final Map<Integer, Object> memo = new HashMap<>();

    private RestrictedUnpickler(byte[] pickle) {
        this.in = ByteBuffer.wrap(pickle).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** The value the pickle describes. */
    public static Object read(byte[] pickle) throws CheckpointException {
        try {
            return new RestrictedUnpickler(pickle).run();
        } catch (java.nio.BufferUnderflowException | IndexOutOfBoundsException e) {
            throw new CheckpointException("the checkpoint's pickle is truncated or malformed");
        } catch (StackOverflowError e) {
            // Keys are checked to be scalars so nothing is hashed or compared deeply, but a hostile
            // pickle must never take down the process that reads it, whatever else recurses.
            throw new CheckpointException("the checkpoint's pickle nests its values too deeply");
        }
    }

    private Object run() throws CheckpointException {
        while (true) {
            int at = in.position();
            int op = in.get() & 0xFF;
            switch (op) {
                case 0x80 -> { // PROTO
                    int version = in.get() & 0xFF;
                    if (version > 5) {
                        throw error(at, "pickle protocol " + version + " is not known");
                    }
                }
                case 0x95 -> in.getLong(); // FRAME: a length hint only
                case '.' -> { // STOP
                    if (stack.size() != 1) {
                        throw error(at, "the pickle ends with " + stack.size() + " values on its stack");
                    }
                    return pop(at);
                }
                case '(' -> stack.add(MARK);
                case '}' -> stack.add(new LinkedHashMap<>());
                case ']' -> stack.add(new ArrayList<>());
                case ')' -> stack.add(new Tuple(List.of()));
                case 'N' -> stack.add(null);
                case 0x88 -> stack.add(Boolean.TRUE);
                case 0x89 -> stack.add(Boolean.FALSE);
                case 'J' -> stack.add((long) in.getInt());
                case 'K' -> stack.add((long) (in.get() & 0xFF));
                case 'M' -> stack.add((long) (in.getShort() & 0xFFFF));
                case 0x8a -> stack.add(long1(at));
                case 'G' -> {
                    double value = in.order(ByteOrder.BIG_ENDIAN).getDouble();
                    in.order(ByteOrder.LITTLE_ENDIAN);
                    stack.add(value);
                }
                case 'X' -> stack.add(text(at, length32(at)));
                case 0x8c -> stack.add(text(at, in.get() & 0xFF));
                case 0x8d -> stack.add(text(at, length64(at)));
                case 'T' -> stack.add(latin1(length32(at)));
                case 'U' -> stack.add(latin1(in.get() & 0xFF));
                case 'B' -> stack.add(bytes(length32(at)));
                case 'C' -> stack.add(bytes(in.get() & 0xFF));
                case 0x8e -> stack.add(bytes(length64(at)));
                case 'q' -> put(at, in.get() & 0xFF);
                case 'r' -> put(at, in.getInt());
                case 0x94 -> put(at, memo.size());
                case 'h' -> stack.add(get(at, in.get() & 0xFF));
                case 'j' -> stack.add(get(at, in.getInt()));
                case 'c' -> stack.add(global(at, line(at), line(at)));
                case 0x93 -> {
                    Object name = pop(at);
                    Object module = pop(at);
                    if (!(module instanceof String m) || !(name instanceof String n)) {
                        throw error(at, "STACK_GLOBAL needs two strings");
                    }
                    stack.add(global(at, m, n));
                }
                case 't' -> stack.add(new Tuple(popToMark(at)));
                case 0x85 -> stack.add(new Tuple(Arrays.asList(pop(at))));
                case 0x86 -> {
                    Object b = pop(at);
                    Object a = pop(at);
                    stack.add(new Tuple(Arrays.asList(a, b)));
                }
                case 0x87 -> {
                    Object c = pop(at);
                    Object b = pop(at);
                    Object a = pop(at);
                    stack.add(new Tuple(Arrays.asList(a, b, c)));
                }
                case 'l' -> stack.add(new ArrayList<>(popToMark(at)));
                case 'd' -> stack.add(dict(at, popToMark(at)));
                case 'a' -> {
                    Object value = pop(at);
                    list(at, peek(at)).add(value);
                }
                case 'e' -> {
                    List<Object> items = popToMark(at);
                    list(at, peek(at)).addAll(items);
                }
                case 's' -> {
                    Object value = pop(at);
                    Object key = key(at, pop(at));
                    map(at, peek(at)).put(key, value);
                }
                case 'u' -> {
                    List<Object> items = popToMark(at);
                    map(at, peek(at)).putAll(dict(at, items));
                }
                case 'Q' -> stack.add(persistent(at, pop(at)));
                case 'R' -> {
                    Object args = pop(at);
                    Object callable = pop(at);
                    stack.add(reduce(at, callable, args));
                }
                case 'b' -> {
                    Object state = pop(at);
                    Object target = peek(at);
                    // OrderedDict state dicts carry `_metadata` (module versions) as instance state;
                    // nothing reads it, and BUILD on anything else would mean running a setter.
                    if (!(target instanceof Map) || !(state instanceof Map || state == null)) {
                        throw error(at, "BUILD is only accepted on a dictionary");
                    }
                }
                default -> throw error(at, String.format("pickle opcode 0x%02x is not one a state dict uses", op));
            }
        }
    }

    private Object global(int at, String module, String name) throws CheckpointException {
        String qualified = module + "." + name;
        if (CALLABLES.contains(qualified) || (module.equals("torch") && STORAGES.containsKey(name))) {
            return new Global(module, name);
        }
        throw error(at, "the checkpoint names the global " + qualified
                + ", which a state dict does not need; refused without running it (allowed: collections.OrderedDict, "
                + "torch._utils._rebuild_tensor_v2, torch._utils._rebuild_parameter, torch.*Storage)");
    }

    private Object reduce(int at, Object callable, Object args) throws CheckpointException {
        if (!(callable instanceof Global g) || !(args instanceof Tuple t)) {
            throw error(at, "REDUCE needs an allowed global and a tuple");
        }
        List<Object> a = t.items();
        switch (g.qualified()) {
            case "collections.OrderedDict" -> {
                if (!a.isEmpty()) {
                    throw error(at, "OrderedDict is only rebuilt empty");
                }
                return new LinkedHashMap<>();
            }
            case "torch._utils._rebuild_tensor_v2" -> {
                if (a.size() < 4 || !(a.get(0) instanceof StorageRef storage) || !(a.get(1) instanceof Long offset)) {
                    throw error(at, "_rebuild_tensor_v2 needs (storage, offset, size, stride, …)");
                }
                return new TensorRef(storage, offset, longs(at, a.get(2)), longs(at, a.get(3)));
            }
            case "torch._utils._rebuild_parameter", "torch._utils._rebuild_parameter_with_state" -> {
                if (a.isEmpty() || !(a.get(0) instanceof TensorRef tensor)) {
                    throw error(at, "_rebuild_parameter needs a tensor");
                }
                return tensor;
            }
            default -> throw error(at, g.qualified() + " cannot be called");
        }
    }

    private StorageRef persistent(int at, Object pid) throws CheckpointException {
        if (!(pid instanceof Tuple t) || t.items().size() != 5 || !"storage".equals(t.items().get(0))
                || !(t.items().get(1) instanceof Global type) || !(t.items().get(2) instanceof String key)
                || !(t.items().get(4) instanceof Long count) || count < 0) {
            throw error(at, "a persistent id must be ('storage', type, key, location, numel)");
        }
        DType dtype = STORAGES.get(type.name());
        if (dtype == null || !type.module().equals("torch")) {
            throw error(at, type.qualified() + " is not a storage type");
        }
        if (!key.matches("[A-Za-z0-9_]{1,64}")) {
            throw error(at, "storage key '" + key + "' is not a plain name");
        }
        return new StorageRef(key, dtype, count);
    }

    private static long[] longs(int at, Object value) throws CheckpointException {
        if (!(value instanceof Tuple t)) {
            throw error(at, "a tensor's size and stride must be tuples");
        }
        long[] out = new long[t.items().size()];
        for (int i = 0; i < out.length; i++) {
            if (!(t.items().get(i) instanceof Long l)) {
                throw error(at, "a tensor's size and stride must be integers");
            }
            out[i] = l;
        }
        return out;
    }

    private Map<Object, Object> dict(int at, List<Object> items) throws CheckpointException {
        if (items.size() % 2 != 0) {
            throw error(at, "a dictionary needs key-value pairs");
        }
        Map<Object, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < items.size(); i += 2) {
            out.put(key(at, items.get(i)), items.get(i + 1));
        }
        return out;
    }

    /**
     * A dictionary key, which in a state dict is a string or a number. Anything else is refused
     * before it is hashed: a list that contains itself (or is nested a million deep) would
     * overflow the stack in {@code hashCode}.
     */
    private static Object key(int at, Object key) throws CheckpointException {
        if (key != null && !(key instanceof String || key instanceof Long || key instanceof Boolean)) {
            throw error(at, "dictionary keys must be strings or numbers");
        }
        return key;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(int at, Object value) throws CheckpointException {
        if (value instanceof List<?> l) {
            return (List<Object>) l;
        }
        throw error(at, "APPEND needs a list");
    }

    @SuppressWarnings("unchecked")
    private static Map<Object, Object> map(int at, Object value) throws CheckpointException {
        if (value instanceof Map<?, ?> m) {
            return (Map<Object, Object>) m;
        }
        throw error(at, "SETITEM needs a dictionary");
    }

    private Object long1(int at) throws CheckpointException {
        int n = in.get() & 0xFF;
        if (n > 8) {
            throw error(at, "integers over 64 bits are not used by state dicts");
        }
        long value = 0;
        for (int i = 0; i < n; i++) {
            value |= (in.get() & 0xFFL) << (8 * i);
        }
        if (n > 0 && n < 8 && (value & (1L << (8 * n - 1))) != 0) {
            value -= 1L << (8 * n);
        }
        return value;
    }

    private int length32(int at) throws CheckpointException {
        long n = in.getInt() & 0xFFFFFFFFL;
        if (n > in.remaining()) {
            throw error(at, "a string runs past the end of the pickle");
        }
        return (int) n;
    }

    private int length64(int at) throws CheckpointException {
        long n = in.getLong();
        if (n < 0 || n > in.remaining()) {
            throw error(at, "a string runs past the end of the pickle");
        }
        return (int) n;
    }

    private String text(int at, int length) throws CheckpointException {
        byte[] raw = bytes(length);
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(raw)).toString();
        } catch (CharacterCodingException e) {
            throw error(at, "a string is not UTF-8");
        }
    }

    private String latin1(int length) {
        return new String(bytes(length), StandardCharsets.ISO_8859_1);
    }

    private byte[] bytes(int length) {
        byte[] out = new byte[length];
        in.get(out);
        return out;
    }

    private String line(int at) throws CheckpointException {
        int start = in.position();
        while (in.get() != '\n') {
            if (in.position() - start > 256) {
                throw error(at, "a global's name is too long");
            }
        }
        return new String(in.array(), start, in.position() - start - 1, StandardCharsets.US_ASCII);
    }

    private void put(int at, int index) throws CheckpointException {
        if (index < 0 || memo.size() >= MAX_MEMO) {
            throw error(at, "the pickle's memo is too large");
        }
        memo.put(index, peek(at));
    }

    private Object get(int at, int index) throws CheckpointException {
        if (!memo.containsKey(index)) {
            throw error(at, "the pickle refers to memo entry " + index + ", which it never stored");
        }
        return memo.get(index);
    }

    private Object peek(int at) throws CheckpointException {
        if (stack.isEmpty() || stack.get(stack.size() - 1) == MARK) {
            throw error(at, "the pickle's stack is empty");
        }
        return stack.get(stack.size() - 1);
    }

    private Object pop(int at) throws CheckpointException {
        Object value = peek(at);
        stack.remove(stack.size() - 1);
        return value;
    }

    private List<Object> popToMark(int at) throws CheckpointException {
        int mark = stack.lastIndexOf(MARK);
        if (mark < 0) {
            throw error(at, "the pickle has no mark to pop to");
        }
        List<Object> items = new ArrayList<>(stack.subList(mark + 1, stack.size()));
        stack.subList(mark, stack.size()).clear();
        return items;
    }

    private static CheckpointException error(int at, String message) {
        return new CheckpointException(message + " (pickle offset " + at + ")");
    }
}
