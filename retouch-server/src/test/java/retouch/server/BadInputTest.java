package retouch.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import retouch.image.Image;

/**
 * Every kind of bad request gets a 4xx JSON error {"error", "message"}, and the server keeps
 * serving: after each one, a good request succeeds. The good request is a classical median
 * denoise of a small image, so no model load is needed here.
 */
class BadInputTest {

    @TempDir static Path models;
    static RetouchServer server;
    static String url;
    static byte[] goodPng;

    @BeforeAll
    static void start() throws Exception {
        Fixtures.writeFakeGeneratorModel(models, "bars");
        server = RetouchServer.start(ServerConfig.defaults().withPort(0).withModelsDir(models)
                .withMaxUploadBytes(256 * 1024).withMaxPixels(1_000_000).withTimeout(Duration.ofSeconds(60)),
                path -> new Fixtures.FakeGenerator(retouch.nn.store.ModelFile.readMeta(Path.of(path)), 0));
        url = server.url();
        goodPng = Fixtures.png(Fixtures.pattern(48, 40));
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    /** The follow-up good request after each bad one. */
    @AfterEach
    void goodRequestStillWorks() throws Exception {
        HttpResponse<byte[]> r = Http.post(url + "/v1/restore",
                new Http.Form().file("image", "ok.png", "image/png", goodPng).field("task", "denoise").field("method", "median"));
        assertEquals(200, r.statusCode(), Http.text(r));
        assertEquals("image/png", r.headers().firstValue("Content-Type").orElse(""));
        Image out = Fixtures.decode(r.body());
        assertEquals(48, out.width());
        assertEquals(40, out.height());
    }

    private static JsonNode assertError(HttpResponse<byte[]> r, int status, String code) throws Exception {
        String body = Http.text(r);
        assertEquals(status, r.statusCode(), body);
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), "JSON error: " + body);
        JsonNode j = Http.json(r);
        assertEquals(code, j.path("error").asText(), body);
        assertTrue(j.path("message").asText().length() > 10, "a message for people: " + body);
        assertEquals(2, j.size(), "exactly error + message: " + body);
        assertTrue(!body.contains("/tmp/") && !body.contains("upload-"), "no server temp paths in: " + body);
        return j;
    }

    @Test
    void malformedMultipart() throws Exception {
        String boundary = "XyZ";
        byte[] body = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"a.png\"\r\nContent-Type: image/png\r\n\r\n"
                + "abc").getBytes(StandardCharsets.UTF_8); // never closed
        JsonNode j = assertError(Http.post(url + "/v1/restore", "multipart/form-data; boundary=" + boundary, body), 400, "malformed_multipart");
        assertTrue(j.path("message").asText().contains("multipart"));
    }

    @Test
    void garbageBodyWithMultipartType() throws Exception {
        HttpResponse<byte[]> r = Http.post(url + "/v1/restore", "multipart/form-data; boundary=zzz", "hello there".getBytes());
        assertEquals(400, r.statusCode(), Http.text(r));
        assertTrue(Http.json(r).has("error"));
    }

    @Test
    void notMultipartAtAll() throws Exception {
        assertError(Http.post(url + "/v1/restore", "image/png", goodPng), 415, "unsupported_media_type");
        assertError(Http.post(url + "/v1/restore", "multipart/form-data", goodPng), 400, "malformed_multipart");
    }

    @Test
    void missingImageField() throws Exception {
        assertError(Http.post(url + "/v1/restore", new Http.Form().field("task", "denoise")), 400, "missing_field");
    }

    @Test
    void truncatedPng() throws Exception {
        byte[] cut = Arrays.copyOf(goodPng, goodPng.length / 2);
        JsonNode j = assertError(Http.post(url + "/v1/restore", new Http.Form().file("image", "cut.png", "image/png", cut).field("method", "median")),
                400, "bad_image");
        assertTrue(j.path("message").asText().contains("cut.png"), j.toString());
    }

    @Test
    void headerClaimingHugeImage() throws Exception {
        byte[] huge = Fixtures.pngHeaderClaiming(60000, 60000);
        JsonNode j = assertError(Http.post(url + "/v1/restore", new Http.Form().file("image", "huge.png", "image/png", huge).field("method", "median")),
                413, "image_too_large");
        assertTrue(j.path("message").asText().contains("60000x60000"), j.toString());
    }

    @Test
    void zeroByteUpload() throws Exception {
        assertError(Http.post(url + "/v1/restore", new Http.Form().file("image", "empty.png", "image/png", new byte[0])), 400, "empty_image");
    }

    @Test
    void notAnImage() throws Exception {
        assertError(Http.post(url + "/v1/restore", new Http.Form().file("image", "notes.txt", "text/plain", "just some text\n".getBytes())),
                400, "bad_image");
    }

    @Test
    void wrongFieldTypes() throws Exception {
        JsonNode j = assertError(Http.post(url + "/v1/restore",
                new Http.Form().file("image", "ok.png", "image/png", goodPng).field("sigma", "abc")), 400, "bad_parameter");
        assertTrue(j.path("message").asText().contains("sigma"));
        assertError(Http.post(url + "/v1/restore", new Http.Form().file("image", "ok.png", "image/png", goodPng).field("sigma", "-3")), 400, "bad_parameter");
        assertError(Http.post(url + "/v1/restore", new Http.Form().file("image", "ok.png", "image/png", goodPng).field("task", "colorize")), 400, "bad_parameter");
        // the image as a plain value instead of a file
        assertError(Http.post(url + "/v1/restore", new Http.Form().field("image", "not a file")), 400, "bad_parameter");
        // sigma as a file
        assertError(Http.post(url + "/v1/restore", new Http.Form().file("image", "ok.png", "image/png", goodPng).file("sigma", "s.txt", "text/plain", "25".getBytes())),
                400, "bad_parameter");
        assertError(Http.get(url + "/v1/generate?n=abc"), 400, "bad_parameter");
        assertError(Http.get(url + "/v1/generate?n=100000"), 400, "bad_parameter");
        assertError(Http.get(url + "/v1/generate?seed=1.5"), 400, "bad_parameter");
        assertError(Http.get(url + "/v1/generate?format=gif"), 400, "bad_parameter");
        assertError(Http.get(url + "/v1/generate?label=seven"), 400, "bad_parameter");
    }

    @Test
    void unknownModelNames() throws Exception {
        assertError(Http.post(url + "/v1/restore", new Http.Form().file("image", "ok.png", "image/png", goodPng).field("model", "no-such-model")),
                404, "unknown_model");
        assertError(Http.post(url + "/v1/restore", new Http.Form().file("image", "ok.png", "image/png", goodPng).field("model", "../../etc/passwd")),
                400, "bad_parameter");
        assertError(Http.get(url + "/v1/generate?model=no-such-model"), 404, "unknown_model");
        // a model that exists but does something else
        assertError(Http.post(url + "/v1/restore", new Http.Form().file("image", "ok.png", "image/png", goodPng).field("model", "bars")),
                400, "wrong_task");
        assertError(Http.get(url + "/v1/generate?model=denoise-gray"), 400, "wrong_task");
        assertError(Http.post(url + "/v1/restore", new Http.Form().file("image", "ok.png", "image/png", goodPng).field("method", "sharpen")),
                400, "bad_parameter");
    }

    @Test
    void tasksWithoutModelsSaySo() throws Exception {
        JsonNode j = assertError(Http.post(url + "/v1/restore", new Http.Form().file("image", "ok.png", "image/png", goodPng).field("task", "sr3")),
                404, "no_model");
        assertTrue(j.path("message").asText().contains("method=bicubic"), j.toString());
        // inpainting without a mask
        assertError(Http.post(url + "/v1/restore", new Http.Form().file("image", "ok.png", "image/png", goodPng).field("task", "inpaint")), 400, "missing_field");
    }

    @Test
    void tooLargeBody() throws Exception {
        byte[] big = new byte[400 * 1024];
        new java.util.Random(1).nextBytes(big);
        HttpResponse<byte[]> r;
        try {
            r = Http.post(url + "/v1/restore", new Http.Form().file("image", "big.png", "image/png", big));
        } catch (java.io.IOException e) {
            return; // the server may close the connection before the client finished sending: also a refusal
        }
        assertError(r, 413, "too_large");
    }

    @Test
    void unknownEndpointIsJsonToo() throws Exception {
        assertError(Http.get(url + "/v1/nothing"), 404, "not_found");
        assertError(Http.get(url + "/v1/restore"), 405, "method_not_allowed");
    }
}
