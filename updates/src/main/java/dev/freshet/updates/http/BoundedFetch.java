package dev.freshet.updates.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The one way Freshet downloads what others serve (feeds, signed repositories): a body is read up
 * to a byte limit and refused beyond it (as soon as a larger Content-Length is announced, or the
 * first byte over arrives), and the whole exchange, body included, ends within a time limit, so a
 * server that sends endlessly or drips slowly costs neither memory nor a stuck thread.
 */
public final class BoundedFetch {
    private BoundedFetch() {
    }

    /** The body was larger than the limit; the download was cancelled. */
    public static final class BodyTooLarge extends IOException {
        public BodyTooLarge(long limit) {
            super("response body larger than " + limit + " bytes", null);
        }
    }

    /**
     * Sends {@code request} and reads its answer.
     *
     * @throws BodyTooLarge     when the body exceeds {@code maxBytes}
     * @throws IOException      when the connection fails (a {@link java.net.ConnectException} when it cannot be made)
     * @throws TimeoutException when headers and body did not arrive within {@code timeout}
     */
    public static HttpResponse<byte[]> send(HttpClient client, HttpRequest request, long maxBytes, Duration timeout)
            throws IOException, TimeoutException, InterruptedException {
        CompletableFuture<HttpResponse<byte[]>> future = client.sendAsync(request,
                info -> new LimitedBody(maxBytes, info.headers().firstValueAsLong("Content-Length").orElse(-1)));
        try {
            // A request's own timeout covers only the wait for headers; this also bounds a body that trickles.
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | InterruptedException e) {
            future.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
                if (cause instanceof BodyTooLarge tooLarge) {
                    throw tooLarge;
                }
            }
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException(String.valueOf(e.getCause()), e.getCause());
        }
    }

    /** Collects the body, refusing (and cancelling the download) once it exceeds the limit. */
    private static final class LimitedBody implements HttpResponse.BodySubscriber<byte[]> {
        private final CompletableFuture<byte[]> body = new CompletableFuture<>();
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final long maxBytes;
        private Flow.Subscription subscription;

        LimitedBody(long maxBytes, long announced) {
            this.maxBytes = maxBytes;
            if (announced > maxBytes) {
                body.completeExceptionally(new BodyTooLarge(maxBytes));
            }
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return body;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            if (body.isDone()) {
                s.cancel();
            } else {
                s.request(Long.MAX_VALUE);
            }
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            for (ByteBuffer buffer : buffers) {
                if (body.isDone()) {
                    return;
                }
                if (out.size() + (long) buffer.remaining() > maxBytes) {
                    subscription.cancel();
                    body.completeExceptionally(new BodyTooLarge(maxBytes));
                    return;
                }
                byte[] chunk = new byte[buffer.remaining()];
                buffer.get(chunk);
                out.write(chunk, 0, chunk.length);
            }
        }

        @Override
        public void onError(Throwable throwable) {
            body.completeExceptionally(throwable);
        }

        @Override
        public void onComplete() {
            body.complete(out.toByteArray());
        }
    }
}
