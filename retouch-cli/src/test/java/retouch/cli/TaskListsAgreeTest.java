package retouch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import retouch.api.Retouch;
import retouch.nn.task.RestorationTasks;
import retouch.server.RetouchServer;
import retouch.server.ServerConfig;

/**
 * Every front door lists the same restoration tasks, the task registry's: the Java API, the CLI's
 * help, GET /v1/models and /openapi.json (the web page builds its list from /v1/models; the
 * browser test checks that it does).
 */
class TaskListsAgreeTest {

    @Test
    void everySurfaceListsTheRegistrysTasks() throws Exception {
        List<String> tasks = RestorationTasks.ids();
        assertTrue(tasks.size() >= 8, tasks.toString());
        assertEquals(tasks, Retouch.TASKS, "Java API");

        String list = String.join(", ", tasks);
        for (String command : new String[] {"restore", "eval"}) {
            StringWriter out = new StringWriter();
            RetouchCli.execute(new PrintWriter(out, true), new PrintWriter(new StringWriter(), true), command, "--help");
            String help = out.toString().replaceAll("\\s+", " ");
            assertTrue(help.contains(list), "retouch " + command + " --help lists " + list + ":\n" + out);
        }

        HttpClient http = HttpClient.newHttpClient();
        ObjectMapper json = new ObjectMapper();
        try (RetouchServer server = RetouchServer.start(ServerConfig.defaults().withHost("127.0.0.1").withPort(0))) {
            JsonNode models = json.readTree(http.send(HttpRequest.newBuilder(URI.create(server.url() + "/v1/models")).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            List<String> served = new ArrayList<>();
            models.path("tasks").fieldNames().forEachRemaining(served::add);
            served.remove("generate"); // synthesis, not a restoration task
            assertEquals(tasks, served, "GET /v1/models");

            JsonNode api = json.readTree(http.send(HttpRequest.newBuilder(URI.create(server.url() + "/openapi.json")).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            JsonNode en = api.at("/paths/~1v1~1restore/post/requestBody/content/multipart~1form-data/schema/properties/task/enum");
            List<String> documented = new ArrayList<>();
            en.forEach(n -> documented.add(n.asText()));
            assertEquals(tasks, documented, "/openapi.json");
        }
    }

    @Test
    void aliasesAreAcceptedButNeverListed() {
        assertEquals("sr2", RestorationTasks.get("super-resolve").id());
        assertEquals("inpaint", RestorationTasks.get("gan-inpaint").id());
        assertEquals("jpeg", new Retouch.Options("JPEG", Double.NaN, 64).task());
        assertTrue(!RestorationTasks.ids().contains("gan-inpaint"));
    }
}
