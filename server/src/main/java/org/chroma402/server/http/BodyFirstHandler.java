package org.chroma402.server.http;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Invocable;

/**
 * Reads a request's whole body without a thread before the application sees the request, so a
 * client that sends headers and then little or nothing holds a connection, not a thread: the
 * handlers behind read their body with blocking calls, and 300 idle uploads used to take 300
 * threads until the idle timeout.
 *
 * <p>Chunks are copied as they arrive (a retained network buffer can be far larger than the few
 * bytes in it), into memory bounded for all requests together: once that is spent, or for a body
 * announced larger than the limit, or a request {@code answerUnread} says the application will
 * answer without its body (a client over its rate limit), the request goes on at once, as before.
 * A chunked body past the limit is refused with 413.
 */
final class BodyFirstHandler extends Handler.Wrapper {
    /** Before this much time has passed a body is not judged by its rate (a first packet may lag). */
    private static final long RATE_GRACE_NANOS = 2_000_000_000L;
    private static final byte[] TOO_SLOW = ("{\"error\":\"the request body did not arrive in time\","
            + "\"error_code\":\"request_incomplete\",\"suggestion\":\"send the whole request at once, "
            + "without pauses\"}").getBytes(java.nio.charset.StandardCharsets.UTF_8);

    private final long maxBody;
    private final AtomicLong budget;
    private final Predicate<Request> answerUnread;
    private final long minBytesPerSecond;

    /**
     * @param maxBody the largest body a request may have
     * @param budget bytes all bodies being read may hold together
     * @param answerUnread requests the application answers without reading their body
     */
    BodyFirstHandler(long maxBody, long budget, Predicate<Request> answerUnread) {
        this(maxBody, budget, answerUnread, 0);
    }

    /**
     * @param minBytesPerSecond the slowest a body may arrive once it has had two seconds (0: no
     *     limit). Jetty's own minimum data rate is judged on the application's blocking reads, and
     *     a body gathered here is read by no one until it is whole: a client sending a byte every
     *     15 s kept its connection for minutes.
     */
    BodyFirstHandler(long maxBody, long budget, Predicate<Request> answerUnread, long minBytesPerSecond) {
        this.maxBody = maxBody;
        this.budget = new AtomicLong(budget);
        this.answerUnread = answerUnread;
        this.minBytesPerSecond = minBytesPerSecond;
    }

    /**
     * The refusal of a body that stopped coming or came too slowly: the API's JSON error (408
     * request_incomplete), not the container's HTML page (an idle timeout was a 500 naming a
     * Java exception), on a connection then closed.
     */
    private static void tooSlow(Response response, Callback callback) {
        response.setStatus(408);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json; charset=utf-8");
        response.getHeaders().put("X-Error-Code", "request_incomplete");
        response.getHeaders().put(HttpHeader.CONNECTION, "close");
        response.write(true, ByteBuffer.wrap(TOO_SLOW), callback);
    }

    /** Bytes of the budget not held by a body being read: for tests and metrics. */
    long budgetLeft() {
        return budget.get();
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        Handler next = getHandler();
        if (next == null) {
            return false;
        }
        long length;
        try {
            length = request.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH);
        } catch (NumberFormatException e) {
            length = -1;
        }
        boolean chunked = request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING);
        if ((length <= 0 && !chunked) || length > maxBody || answerUnread.test(request)) {
            return next.handle(request, response, callback);
        }
        if (length > 0 && !reserve(length)) {
            return next.handle(request, response, callback);
        }
        new Loader(next, request, response, callback, length).read(false);
        return true;
    }

    private boolean reserve(long bytes) {
        while (true) {
            long left = budget.get();
            if (left < bytes) {
                return false;
            }
            if (budget.compareAndSet(left, left - bytes)) {
                return true;
            }
        }
    }

    /** One body being gathered: the blocks filled so far and the budget they hold. */
    private final class Loader implements Invocable.Task {
        private static final int BLOCK = 64 * 1024;
        private final Handler next;
        private final Request request;
        private final Response response;
        private final Callback callback;
        private final Deque<ByteBuffer> blocks = new ArrayDeque<>();
        private final AtomicLong held;
        private ByteBuffer block;
        private long total;
        private final long started = System.nanoTime();

        Loader(Handler next, Request request, Response response, Callback callback, long length) {
            this.next = next;
            this.request = request;
            this.response = response;
            this.callback = callback;
            this.held = new AtomicLong(Math.max(0, length));
            if (length > 0) {
                block = ByteBuffer.allocate((int) length);
            }
        }

        @Override
        public InvocationType getInvocationType() {
            // Copying bytes never blocks, so Jetty may call it from the thread that read them.
            return InvocationType.NON_BLOCKING;
        }

        @Override
        public void run() {
            read(true);
        }

        void read(boolean onDemand) {
            while (true) {
                Content.Chunk chunk = request.read();
                if (chunk == null) {
                    request.demand(this);
                    return;
                }
                if (Content.Chunk.isFailure(chunk)) {
                    // A body that stopped coming (idle, too slow, cut off): nothing to hand on.
                    release();
                    chunk.release();
                    tooSlow(response, callback);
                    return;
                }
                boolean last = chunk.isLast();
                boolean kept = copy(chunk.getByteBuffer());
                chunk.release();
                long elapsed = System.nanoTime() - started;
                if (!last && minBytesPerSecond > 0 && elapsed > RATE_GRACE_NANOS
                        && total < minBytesPerSecond * (elapsed / 1_000_000_000.0)) {
                    release();
                    tooSlow(response, callback);
                    return;
                }
                if (total > maxBody) {
                    release();
                    Response.writeError(request, response, callback, 413);
                    return;
                }
                if (last || !kept) {
                    // !kept: the shared budget is spent; the application reads the rest itself.
                    proceed(onDemand, last);
                    return;
                }
            }
        }

        private boolean copy(ByteBuffer bytes) {
            total += bytes.remaining();
            while (bytes.hasRemaining()) {
                if (block == null || !block.hasRemaining()) {
                    if (block != null) {
                        blocks.add(block.flip());
                    }
                    if (!reserve(BLOCK)) {
                        block = null;
                        // What did not fit is lost unless kept: keep it outside the budget, once.
                        blocks.add(ByteBuffer.allocate(bytes.remaining()).put(bytes).flip());
                        return false;
                    }
                    held.addAndGet(BLOCK);
                    block = ByteBuffer.allocate(BLOCK);
                }
                int n = Math.min(block.remaining(), bytes.remaining());
                block.put(bytes.slice(bytes.position(), n));
                bytes.position(bytes.position() + n);
            }
            return true;
        }

        private void proceed(boolean onDemand, boolean complete) {
            if (block != null) {
                blocks.add(block.flip());
                block = null;
            }
            Gathered gathered = new Gathered(request, blocks, complete, this::release);
            Callback releasing = Callback.from(callback, this::release);
            Runnable handle = () -> {
                try {
                    if (!next.handle(gathered, response, releasing)) {
                        Response.writeError(gathered, response, releasing, 404);
                    }
                } catch (Throwable t) {
                    Response.writeError(gathered, response, releasing, t);
                }
            };
            if (onDemand) {
                // Called back where the bytes were read; the application may block, so not here.
                request.getContext().execute(handle);
            } else {
                handle.run();
            }
        }

        private void release() {
            budget.addAndGet(held.getAndSet(0));
        }
    }

    /** The request as the application sees it: the gathered blocks, then whatever is still to come. */
    private static final class Gathered extends Request.Wrapper {
        private final Deque<ByteBuffer> blocks;
        private final boolean complete;
        private final Runnable consumed;

        Gathered(Request wrapped, Deque<ByteBuffer> blocks, boolean complete, Runnable consumed) {
            super(wrapped);
            this.blocks = blocks;
            this.complete = complete;
            this.consumed = consumed;
        }

        @Override
        public Content.Chunk read() {
            synchronized (blocks) {
                ByteBuffer next = blocks.poll();
                if (next != null) {
                    boolean last = complete && blocks.isEmpty();
                    if (blocks.isEmpty()) {
                        consumed.run();
                    }
                    return Content.Chunk.from(next, last);
                }
            }
            return complete ? Content.Chunk.EOF : super.read();
        }

        @Override
        public void demand(Runnable demandCallback) {
            boolean ready;
            synchronized (blocks) {
                ready = complete || !blocks.isEmpty();
            }
            if (ready) {
                getContext().execute(demandCallback);
            } else {
                super.demand(demandCallback);
            }
        }
    }
}
