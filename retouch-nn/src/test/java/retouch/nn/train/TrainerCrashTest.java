package retouch.nn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import retouch.RetouchException;
import retouch.nn.store.ModelFile;
import retouch.nn.store.ModelMeta;

/**
 * What a killed or failed run leaves and how the next run treats it: temporary checkpoint folders
 * of dead processes are removed, a finished run started again keeps its checkpoint (and model.json
 * metrics) untouched, a resumed run's model.json equals an uninterrupted one's, and a write failure
 * (full disk) reads as one line naming the path, the reason, the intact checkpoint and the fix.
 * (bench/crash/kill9-train.sh does the same with real {@code kill -9} for every training family.)
 */
class TrainerCrashTest {
    @TempDir Path tmp;

    private static Trainer.Builder trainer(Path dir) {
        return Trainer.builder().setRunDir(dir).setSteps(12).optSeed(5).optCheckpointEvery(4).optValidateEvery(6)
                .optQuiet(true).optShutdownHook(false).optCommand("test");
    }

    @Test
    void leftoversOfKilledRunsAreRemovedAndFinishedRunsKept() throws IOException {
        Path run = tmp.resolve("run");
        Files.createDirectories(run);
        // a checkpoint being written by a process that was killed (no such PID), and one of a live process
        Path dead = Files.createDirectories(run.resolve(".checkpoint.tmp-" + Integer.MAX_VALUE + "-3"));
        Files.write(dead.resolve("weights.params"), new byte[100]);
        Path live = Files.createDirectories(run.resolve(".checkpoint.tmp-1-1"));
        Trainer.Result r = trainer(run).build().fit(new DenoiseTask());
        assertTrue(r.completed());
        assertFalse(Files.exists(dead), "a dead run's temporary checkpoint is removed");
        assertTrue(Files.exists(live), "a live process's temporary checkpoint is left alone");
        Files.delete(live);

        Path ckpt = run.resolve(Trainer.CHECKPOINT);
        ModelMeta meta = ModelFile.readMeta(ckpt);
        assertTrue(meta.metrics().containsKey("val_mse") && meta.metrics().containsKey("loss"), meta.metrics().toString());
        byte[] json = Files.readAllBytes(ckpt.resolve(ModelFile.META_FILE));
        byte[] state = Files.readAllBytes(ckpt.resolve("trainer.json"));
        Trainer.Result again = trainer(run).build().fit(new DenoiseTask());
        assertEquals(12, again.resumedFrom());
        assertArrayEquals(json, Files.readAllBytes(ckpt.resolve(ModelFile.META_FILE)), "a finished run started again keeps model.json");
        assertArrayEquals(state, Files.readAllBytes(ckpt.resolve("trainer.json")));
        assertEquals(meta.metrics(), again.meta().metrics());
    }

    @Test
    void resumedModelJsonEqualsUninterrupted() throws IOException {
        Path full = tmp.resolve("full"), split = tmp.resolve("split");
        trainer(full).build().fit(new DenoiseTask());
        // stopped at step 10 (after the validation at 6 and the checkpoint at 8), then resumed
        trainer(split).optStopAt(10).build().fit(new DenoiseTask());
        trainer(split).build().fit(new DenoiseTask());
        ModelMeta a = ModelFile.readMeta(full.resolve(Trainer.CHECKPOINT)), b = ModelFile.readMeta(split.resolve(Trainer.CHECKPOINT));
        assertEquals(a.metrics(), b.metrics());
        assertArrayEquals(Files.readAllBytes(full.resolve(Trainer.CHECKPOINT).resolve(ModelFile.WEIGHTS_FILE)),
                Files.readAllBytes(split.resolve(Trainer.CHECKPOINT).resolve(ModelFile.WEIGHTS_FILE)));
    }

    @Test
    void fullDiskMessage() throws IOException {
        Path run = tmp.resolve("run");
        trainer(run).optStopAt(4).build().fit(new DenoiseTask());
        Path ckpt = run.resolve(Trainer.CHECKPOINT);
        RetouchException e = Trainer.writeFailed(ckpt, new FileSystemException(ckpt.resolve("weights.params").toString(), null,
                "No space left on device"), ckpt, 4);
        String m = e.getMessage();
        assertFalse(m.contains("\n"), m);
        assertTrue(m.contains(ckpt.toString()) && m.contains("No space left on device"), m);
        assertTrue(m.contains("checkpoint of step 4") && m.contains("intact"), m);
        assertTrue(m.contains("free some space") && m.contains("run the same command again"), m);
        RetouchException none = Trainer.writeFailed(ckpt, new IOException("No space left on device"), tmp.resolve("nothing"), 0);
        assertTrue(none.getMessage().contains("no checkpoint was written yet"), none.getMessage());
    }
}
