package retouch.server;

import java.io.IOException;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One server, on a free port, for all the tests of a class: started before the first and closed
 * after the last ({@code @RegisterExtension static final RunningServer server = new RunningServer(config)}).
 */
final class RunningServer implements BeforeAllCallback, AfterAllCallback {
    private final ServerConfig config;
    private RetouchServer server;

    RunningServer(ServerConfig config) {
        this.config = config;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        server = RetouchServer.start(config.withPort(0));
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (server != null) server.close();
    }

    /** The server's base address. */
    String url() {
        return server.url();
    }

    /** {@code POST /v1/restore} with {@code form}. */
    HttpResponse<byte[]> restore(Http.Form form) throws IOException, InterruptedException {
        return Http.post(url() + "/v1/restore", form);
    }
}
